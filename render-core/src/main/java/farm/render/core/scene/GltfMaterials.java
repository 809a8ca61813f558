package farm.render.core.scene;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * glTF materials read from the document itself: factors, KHR_materials_emissive_strength,
 * KHR_materials_specular, KHR_materials_ior, alpha mode, and the four texture slots with their UV
 * set, sampler and KHR_texture_transform; the textures they use are decoded to RGBA8 here, in the
 * order materials first use them, so the same file gives the same package bytes.
 */
final class GltfMaterials {
    /** Extensions this importer renders; any other used extension is listed as unsupported. */
    static final Set<String> SUPPORTED_EXTENSIONS = Set.of("KHR_materials_emissive_strength", "KHR_materials_specular",
            "KHR_materials_ior", "KHR_texture_transform", "KHR_lights_punctual");

    private final GltfDocument doc;
    private final List<String> unsupported;
    private final Map<Integer, Integer> sceneTextureOf = new LinkedHashMap<>();
    private final Map<Integer, Texture> decodedImages = new HashMap<>();
    private final List<Texture> textures = new ArrayList<>();
    private long texelBytes;

    GltfMaterials(GltfDocument doc, List<String> unsupported) {
        this.doc = doc;
        this.unsupported = unsupported;
        JsonNode used = doc.json().path("extensionsUsed");
        for (int i = 0; i < used.size(); i++) {
            String name = used.get(i).asText("");
            if (!SUPPORTED_EXTENSIONS.contains(name)) {
                unsupported.add("glTF extension " + name + " is not supported: ignored");
            }
        }
    }

    int materialCount() {
        return doc.json().path("materials").size();
    }

    List<Texture> textures() {
        return textures;
    }

    /** glTF material {@code index} as the renderer draws it. */
    Material material(int index) throws InvalidSceneException {
        JsonNode m = doc.json().path("materials").path(index);
        String name = m.path("name").asText("");
        JsonNode pbr = m.path("pbrMetallicRoughness");
        float[] base = floats(pbr.path("baseColorFactor"), new float[]{1, 1, 1, 1});
        float[] emissive = floats(m.path("emissiveFactor"), new float[]{0, 0, 0});
        JsonNode ext = m.path("extensions");
        float strength = (float) ext.path("KHR_materials_emissive_strength").path("emissiveStrength").asDouble(1.0);
        JsonNode spec = ext.path("KHR_materials_specular");
        float specular = (float) spec.path("specularFactor").asDouble(1.0);
        float[] specColor = floats(spec.path("specularColorFactor"), new float[]{1, 1, 1});
        if (spec.has("specularTexture") || spec.has("specularColorTexture")) {
            unsupported.add("material '" + name + "': specular textures (factors used)");
        }
        float ior = (float) ext.path("KHR_materials_ior").path("ior").asDouble(Material.DEFAULT_IOR);
        String alphaMode = m.path("alphaMode").asText("OPAQUE");
        float cutoff = -1f;
        if (alphaMode.equals("MASK")) {
            cutoff = Math.max(0f, (float) m.path("alphaCutoff").asDouble(0.5));
        } else if (alphaMode.equals("BLEND")) {
            unsupported.add("material '" + name + "': alphaMode BLEND is rendered opaque");
        }
        MaterialTextures maps = new MaterialTextures(
                slot(name, "base colour", pbr.path("baseColorTexture"), "scale"),
                slot(name, "metallic-roughness", pbr.path("metallicRoughnessTexture"), "scale"),
                slot(name, "normal", m.path("normalTexture"), "scale"),
                slot(name, "emissive", m.path("emissiveTexture"), "scale"));
        if (m.has("occlusionTexture")) {
            unsupported.add("material '" + name + "': occlusion texture (path tracing computes occlusion)");
        }
        Rgb emission = new Rgb(Math.max(0, emissive[0]), Math.max(0, emissive[1]), Math.max(0, emissive[2]))
                .times(Float.isFinite(strength) ? Math.max(0, strength) : 1f);
        Rgb baseColor = new Rgb(clamp01(base[0]), clamp01(base[1]), clamp01(base[2]));
        if (!emission.isFinite()) {
            emission = Rgb.BLACK;
            unsupported.add("material '" + name + "': non-finite emission replaced by none");
        }
        return new Material(name, baseColor, emission, (float) pbr.path("metallicFactor").asDouble(1.0),
                (float) pbr.path("roughnessFactor").asDouble(1.0), specular, m.path("doubleSided").asBoolean(false),
                new Rgb(Math.max(0, specColor[0]), Math.max(0, specColor[1]), Math.max(0, specColor[2])), ior,
                base[3], cutoff, maps);
    }

    private TextureSlot slot(String material, String what, JsonNode info, String scaleKey) throws InvalidSceneException {
        if (info.isMissingNode() || !info.has("index")) {
            return TextureSlot.NONE;
        }
        int texCoord = info.path("texCoord").asInt(0);
        JsonNode transform = info.path("extensions").path("KHR_texture_transform");
        if (transform.has("texCoord")) {
            texCoord = transform.path("texCoord").asInt(texCoord);
        }
        if (texCoord < 0 || texCoord > 1) {
            unsupported.add("material '" + material + "': " + what + " texture uses UV set " + texCoord + " (set 0 used)");
            texCoord = 0;
        }
        Integer texture = sceneTexture(info.path("index").asInt(-1), material, what);
        if (texture == null) {
            return TextureSlot.NONE;
        }
        float[] offset = floats(transform.path("offset"), new float[]{0, 0});
        float[] scale = floats(transform.path("scale"), new float[]{1, 1});
        float rotation = (float) transform.path("rotation").asDouble(0);
        float strength = (float) info.path(scaleKey).asDouble(1.0);
        return new TextureSlot(texture, texCoord, offset[0], offset[1], rotation, scale[0], scale[1], strength);
    }

    /** The scene's index for glTF texture {@code index}, decoding its image on first use; null when it cannot be used. */
    private Integer sceneTexture(int index, String material, String what) throws InvalidSceneException {
        if (sceneTextureOf.containsKey(index)) {
            return sceneTextureOf.get(index);
        }
        JsonNode texture = doc.json().path("textures").path(index);
        int image = texture.path("source").asInt(-1);
        if (texture.isMissingNode() || image < 0) {
            unsupported.add("material '" + material + "': " + what + " texture " + index + " has no image it can use (factor used)");
            return null;
        }
        Texture pixels = decodedImages.containsKey(image) ? decodedImages.get(image) : decode(image);
        decodedImages.put(image, pixels);
        if (pixels == null) {
            unsupported.add("material '" + material + "': " + what + " texture's image " + image
                    + " is not an embedded PNG or JPEG (factor used)");
            return null;
        }
        JsonNode sampler = doc.json().path("samplers").path(texture.path("sampler").asInt(-1));
        // 9728 NEAREST is the only magnification filter that is not bilinear.
        Texture t = new Texture(pixels.width(), pixels.height(), Texture.Wrap.fromGl(sampler.path("wrapS").asInt(10497)),
                Texture.Wrap.fromGl(sampler.path("wrapT").asInt(10497)), sampler.path("magFilter").asInt(9729) == 9728,
                pixels.rgba());
        texelBytes += t.rgba().length;
        if (texelBytes > ScenePackage.MAX_TEXTURE_BYTES) {
            throw new InvalidSceneException("the textures need more than " + (ScenePackage.MAX_TEXTURE_BYTES >> 20)
                    + " MiB decoded; use smaller images");
        }
        if (textures.size() >= ScenePackage.MAX_TEXTURES) {
            throw new InvalidSceneException("the scene uses more than " + ScenePackage.MAX_TEXTURES + " textures");
        }
        textures.add(t);
        sceneTextureOf.put(index, textures.size() - 1);
        return textures.size() - 1;
    }

    /** Decodes image {@code index} to RGBA8 as stored (no colour conversion), or null when it is not usable. */
    private Texture decode(int index) throws InvalidSceneException {
        byte[] bytes = doc.imageBytes(index);
        if (bytes == null) {
            return null;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w > SourceChecks.MAX_IMAGE_SIDE || h > SourceChecks.MAX_IMAGE_SIDE) {
                    throw new InvalidSceneException("image " + index + " is " + w + " x " + h + " pixels; the limit is "
                            + SourceChecks.MAX_IMAGE_SIDE + " on each side");
                }
                if ((long) w * h * 4 + texelBytes > ScenePackage.MAX_TEXTURE_BYTES) {
                    throw new InvalidSceneException("the textures need more than " + (ScenePackage.MAX_TEXTURE_BYTES >> 20)
                            + " MiB decoded; use smaller images");
                }
                return new Texture(w, h, Texture.Wrap.REPEAT, Texture.Wrap.REPEAT, false, rgba(reader.read(0)));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The stored 8-bit values, without Java2D's colour management (which would re-encode grey images). */
    private static byte[] rgba(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 4];
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        int bits = raster.getSampleModel().getSampleSize(0);
        boolean palette = image.getColorModel() instanceof IndexColorModel;
        int[] px = new int[Math.max(4, bands)];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 4;
                if (palette) {
                    int argb = image.getRGB(x, y);
                    out[o] = (byte) (argb >> 16);
                    out[o + 1] = (byte) (argb >> 8);
                    out[o + 2] = (byte) argb;
                    out[o + 3] = (byte) (argb >>> 24);
                    continue;
                }
                raster.getPixel(x, y, px);
                int shift = Math.max(0, bits - 8);
                int r = px[0] >> shift;
                int g = bands >= 3 ? px[1] >> shift : r;
                int b = bands >= 3 ? px[2] >> shift : r;
                int a = bands == 4 ? px[3] >> shift : bands == 2 ? px[1] >> shift : 255;
                out[o] = (byte) r;
                out[o + 1] = (byte) g;
                out[o + 2] = (byte) b;
                out[o + 3] = (byte) a;
            }
        }
        return out;
    }

    /**
     * The equirectangular environment named in {@code extras} on the default scene or the document:
     * {@code "environmentMap": {"image": i, "strength": s}}, image i being a Radiance .hdr in the upload.
     */
    EnvironmentMap environmentMap() throws InvalidSceneException {
        JsonNode json = doc.json();
        JsonNode spec = json.path("scenes").path(json.path("scene").asInt(0)).path("extras").path("environmentMap");
        if (spec.isMissingNode()) {
            spec = json.path("extras").path("environmentMap");
        }
        if (spec.isMissingNode()) {
            return EnvironmentMap.NONE;
        }
        int image = spec.path("image").asInt(-1);
        byte[] bytes = image < 0 ? null : doc.imageBytes(image);
        if (bytes == null) {
            throw new InvalidSceneException("extras.environmentMap.image must name an image embedded in the upload");
        }
        float strength = (float) spec.path("strength").asDouble(1.0);
        if (!Float.isFinite(strength) || strength < 0) {
            throw new InvalidSceneException("extras.environmentMap.strength must be a finite number, not negative");
        }
        return RadianceHdr.decode(bytes, strength);
    }

    private static float[] floats(JsonNode node, float[] fallback) {
        if (!node.isArray() || node.size() != fallback.length) {
            return fallback;
        }
        float[] v = new float[fallback.length];
        for (int i = 0; i < v.length; i++) {
            double d = node.get(i).asDouble(Double.NaN);
            v[i] = Double.isFinite(d) ? (float) d : fallback[i];
        }
        return v;
    }

    private static float clamp01(float v) {
        return Math.min(1f, Math.max(0f, v));
    }
}
