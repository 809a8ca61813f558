package farm.render.coordinator.intake;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;

/** The {@code scenes} table. */
final class SceneRepository {
    private SceneRepository() {
    }

    static Optional<SceneRecord> find(Connection c, String digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT digest, filename, triangles, materials, unsupported, package_digest, animation_frames, animation_first_frame,"
                        + " animation_last_frame, animation_frame_rate, textures, lights, emissive_triangles, meshes, cameras,"
                        + " instances, instanced_triangles, package_bytes FROM scenes WHERE digest = ?")) {
            s.setString(1, digest);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                String[] unsupported = (String[]) r.getArray(5).getArray();
                return Optional.of(new SceneRecord(r.getString(1), r.getString(2), r.getInt(3), r.getInt(4),
                        Arrays.asList(unsupported), r.getString(6),
                        new SceneRecord.Animation(r.getInt(7), r.getInt(8), r.getInt(9), r.getFloat(10)),
                        r.getInt(11), r.getInt(12), r.getLong(13), r.getInt(14), r.getInt(15), r.getInt(16), r.getLong(17),
                        r.getLong(18)));
            }
        }
    }

    /** Inserts the record; false when a concurrent upload of the same bytes got there first. */
    static boolean insert(Connection c, SceneRecord scene, String extension, long sourceBytes) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO scenes (digest, filename, extension, source_bytes, triangles, materials, unsupported, package_digest,
                                    animation_frames, animation_first_frame, animation_last_frame, animation_frame_rate,
                                    textures, lights, emissive_triangles, meshes, cameras, instances, instanced_triangles,
                                    package_bytes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING""")) {
            Array unsupported = c.createArrayOf("text", scene.unsupported().toArray(new String[0]));
            s.setString(1, scene.digest());
            s.setString(2, scene.filename());
            s.setString(3, extension);
            s.setLong(4, sourceBytes);
            s.setInt(5, scene.triangles());
            s.setInt(6, scene.materials());
            s.setArray(7, unsupported);
            s.setString(8, scene.packageDigest());
            s.setInt(9, scene.animation().frames());
            s.setInt(10, scene.animation().firstFrame());
            s.setInt(11, scene.animation().lastFrame());
            s.setFloat(12, scene.animation().frameRate());
            s.setInt(13, scene.textures());
            s.setInt(14, scene.lights());
            s.setLong(15, scene.emissiveTriangles());
            s.setInt(16, scene.meshes());
            s.setInt(17, scene.cameras());
            s.setInt(18, scene.instances());
            s.setLong(19, scene.instancedTriangles());
            s.setLong(20, scene.packageBytes());
            return s.executeUpdate() == 1;
        }
    }
}
