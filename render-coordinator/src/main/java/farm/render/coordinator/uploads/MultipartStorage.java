package farm.render.coordinator.uploads;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.storage.StorageException;
import io.minio.AbortMultipartUploadArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListPartsArgs;
import io.minio.MinioAsyncClient;
import io.minio.RemoveObjectArgs;
import io.minio.errors.MinioException;
import io.minio.messages.ListPartsResult;
import io.minio.messages.Part;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** S3 multipart uploads in the farm's bucket: create, presign each part's PUT, list stored parts, complete. */
@ApplicationScoped
public class MultipartStorage {
    /** A part the store holds: its number, size and ETag. */
    public record StoredPart(int number, long size, String etag) {
    }

    private final MinioAsyncClient client;
    private final String bucket;
    private final int presignSeconds;

    public MultipartStorage(FarmConfig config) {
        this.client = MinioAsyncClient.builder()
                .endpoint(config.s3().endpoint())
                .region(config.s3().region())
                .credentials(config.s3().accessKey(), config.s3().secretKey())
                .build();
        this.bucket = config.s3().bucket();
        this.presignSeconds = (int) config.s3().presignLifetime().toSeconds();
    }

    /** Starts a multipart upload of {@code key}; returns the store's upload id. */
    public String create(String key) {
        return await(client.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(bucket).object(key).build()),
                "start an upload of " + key).result().uploadId();
    }

    /** A URL the browser PUTs part {@code number} to, without credentials of its own. */
    public String presignPart(String key, String uploadId, int number) {
        try {
            return client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Http.Method.PUT).bucket(bucket).object(key)
                    .extraQueryParams(Map.of("uploadId", uploadId, "partNumber", Integer.toString(number)))
                    .expiry(presignSeconds, TimeUnit.SECONDS).build());
        } catch (MinioException e) {
            throw new StorageException("cannot presign part " + number + " of " + key, e);
        }
    }

    /** The parts stored so far, by number. */
    public List<StoredPart> parts(String key, String uploadId) {
        List<StoredPart> parts = new ArrayList<>();
        Integer marker = null;
        while (true) {
            ListPartsArgs.Builder args = ListPartsArgs.builder().bucket(bucket).object(key).uploadId(uploadId).maxParts(1000);
            if (marker != null) {
                args.partNumberMarker(marker);
            }
            ListPartsResult page = await(client.listParts(args.build()), "list the parts of " + key).result();
            for (Part p : page.parts()) {
                parts.add(new StoredPart(p.partNumber(), p.partSize(), p.etag()));
            }
            if (!page.isTruncated() || page.nextPartNumberMarker() == null) {
                break;
            }
            marker = page.nextPartNumberMarker();
        }
        parts.sort(Comparator.comparingInt(StoredPart::number));
        return parts;
    }

    /** Joins {@code parts}, in order, into the object. */
    public void complete(String key, String uploadId, List<StoredPart> parts) {
        Part[] list = parts.stream().map(p -> new Part(p.number(), p.etag())).toArray(Part[]::new);
        await(client.completeMultipartUpload(CompleteMultipartUploadArgs.builder().bucket(bucket).object(key)
                .uploadId(uploadId).parts(list).build()), "complete the upload of " + key);
    }

    public void abort(String key, String uploadId) {
        await(client.abortMultipartUpload(AbortMultipartUploadArgs.builder().bucket(bucket).object(key)
                .uploadId(uploadId).build()), "abort the upload of " + key);
    }

    public void remove(String key) {
        await(client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build()), "remove " + key);
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw new StorageException("cannot " + what, e.getCause() == null ? e : e.getCause());
        }
    }
}
