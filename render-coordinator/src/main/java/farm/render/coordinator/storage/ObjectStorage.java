package farm.render.coordinator.storage;

import farm.render.coordinator.FarmConfig;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The farm's bucket, through the MinIO SDK: objects by key and presigned URLs for workers. */
@ApplicationScoped
public class ObjectStorage {
    private final MinioClient client;
    private final String bucket;
    private final long presignSeconds;

    public ObjectStorage(FarmConfig config) {
        this.client = MinioClient.builder()
                .endpoint(config.s3().endpoint())
                .region(config.s3().region()) // a fixed region: presigning needs no round trip
                .credentials(config.s3().accessKey(), config.s3().secretKey())
                .build();
        this.bucket = config.s3().bucket();
        this.presignSeconds = config.s3().presignLifetime().toSeconds();
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket if it is missing; true when it had to be created. */
    public boolean ensureBucket() {
        try {
            if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                return false;
            }
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            return true;
        } catch (MinioException e) {
            throw new StorageException("cannot create bucket " + bucket, e);
        }
    }

    public boolean bucketReachable() {
        try {
            return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (MinioException | RuntimeException e) {
            return false;
        }
    }

    public void put(String key, byte[] data, String contentType) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .data(data, data.length).contentType(contentType).build());
        } catch (MinioException e) {
            throw new StorageException("cannot store " + key, e);
        }
    }

    /** Stores the file at {@code file}, streamed in parts: memory stays at one part whatever the file's size. */
    public void put(String key, Path file, String contentType) {
        try (InputStream in = Files.newInputStream(file)) {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(in, Files.size(file), null).contentType(contentType).build());
        } catch (MinioException | IOException e) {
            throw new StorageException("cannot store " + key, e);
        }
    }

    /** Copies the object at {@code key} into {@code file}, streamed, and returns its length. */
    public long download(String key, Path file) {
        try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (MinioException | IOException e) {
            throw new StorageException("cannot read " + key, e);
        }
    }

    public byte[] get(String key) {
        try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        } catch (MinioException | IOException e) {
            throw new StorageException("cannot read " + key, e);
        }
    }

    /** The stored length of {@code key}, in bytes. */
    public long size(String key) {
        try {
            return client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size();
        } catch (MinioException e) {
            throw new StorageException("cannot stat " + key, e);
        }
    }

    public boolean exists(String key) {
        try {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())
                    || e.response().code() == 404) {
                return false;
            }
            throw new StorageException("cannot stat " + key, e);
        } catch (MinioException e) {
            throw new StorageException("cannot stat " + key, e);
        }
    }

    /** Keys under {@code prefix}, recursively. */
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                keys.add(r.get().objectName());
            }
        } catch (MinioException e) {
            throw new StorageException("cannot list " + prefix, e);
        }
        return keys;
    }

    /** A GET of {@code key} valid for the claim lease. */
    public String presignGet(String key) {
        return presign(Http.Method.GET, key, presignSeconds);
    }

    /** A GET of {@code key} valid for {@code lifetime}. */
    public String presignGet(String key, Duration lifetime) {
        return presign(Http.Method.GET, key, lifetime.toSeconds());
    }

    /** A PUT of {@code key} valid for the claim lease. */
    public String presignPut(String key) {
        return presign(Http.Method.PUT, key, presignSeconds);
    }

    private String presign(Http.Method method, String key, long seconds) {
        try {
            return client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(method).bucket(bucket).object(key)
                    .expiry((int) seconds, TimeUnit.SECONDS).build());
        } catch (MinioException e) {
            throw new StorageException("cannot presign " + key, e);
        }
    }
}
