package farm.render.core.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** glTF materials, textures and environment maps as the importer reads them into the scene package. */
class GltfMaterialsTest {
    /** A 2 × 2 RGBA PNG: red, green / blue, half-transparent white. */
    static byte[] checkerPng() throws Exception {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFFFF0000);
        image.setRGB(1, 0, 0xFF00FF00);
        image.setRGB(0, 1, 0xFF0000FF);
        image.setRGB(1, 1, 0x80FFFFFF);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A flat (not run-length encoded) Radiance file of 2 × 1 texels: (1, 0.5, 0.25) and black. */
    static byte[] tinyHdr() {
        byte[] header = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 2\n".getBytes(StandardCharsets.US_ASCII);
        // 1.0 = 128 / 256 * 2^(129 - 128): mantissas 128, 64, 32 with exponent 129.
        byte[] texels = {(byte) 128, 64, 32, (byte) 129, 0, 0, 0, 0};
        byte[] all = new byte[header.length + texels.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(texels, 0, all, header.length, texels.length);
        return all;
    }

    private static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** One triangle with two UV sets; every texture feature this importer reads, on one material. */
    static String texturedTriangle() throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(36 + 24 + 24).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[]{0, 0, 0, 1, 0, 0, 0, 1, 0}) {
            buf.putFloat(f);
        }
        for (float f : new float[]{0.25f, 0.75f, 1, 0.75f, 0.25f, 0}) {
            buf.putFloat(f);
        }
        for (float f : new float[]{0.5f, 0.125f, 1, 1, 0, 0}) {
            buf.putFloat(f);
        }
        return """
                {"asset":{"version":"2.0"},
                 "extensionsUsed":["KHR_texture_transform","KHR_materials_ior","KHR_materials_specular","KHR_materials_sheen"],
                 "scene":0,"scenes":[{"nodes":[0],"extras":{"environmentMap":{"image":1,"strength":2.0}}}],
                 "nodes":[{"mesh":0}],
                 "meshes":[{"primitives":[{"attributes":{"POSITION":0,"TEXCOORD_0":1,"TEXCOORD_1":2},"material":0}]}],
                 "materials":[{"name":"decal","alphaMode":"MASK","alphaCutoff":0.3,"emissiveFactor":[1,1,1],
                   "pbrMetallicRoughness":{"baseColorFactor":[1,1,1,0.9],"metallicFactor":0,"roughnessFactor":0.5,
                     "baseColorTexture":{"index":0,"texCoord":1,
                       "extensions":{"KHR_texture_transform":{"offset":[0.5,0.25],"scale":[2,3],"rotation":0.1}}}},
                   "emissiveTexture":{"index":0},
                   "extensions":{"KHR_materials_ior":{"ior":1.33},
                     "KHR_materials_specular":{"specularFactor":0.5,"specularColorFactor":[1,0.5,0.5]},
                     "KHR_materials_emissive_strength":{"emissiveStrength":4}}}],
                 "textures":[{"source":0,"sampler":0}],
                 "samplers":[{"magFilter":9728,"wrapS":33071,"wrapT":33648}],
                 "images":[{"uri":"data:image/png;base64,%s"},{"uri":"data:image/vnd.radiance;base64,%s"}],
                 "buffers":[{"byteLength":84,"uri":"data:application/octet-stream;base64,%s"}],
                 "bufferViews":[{"buffer":0,"byteOffset":0,"byteLength":36},{"buffer":0,"byteOffset":36,"byteLength":24},
                   {"buffer":0,"byteOffset":60,"byteLength":24}],
                 "accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]},
                   {"bufferView":1,"componentType":5126,"count":3,"type":"VEC2"},
                   {"bufferView":2,"componentType":5126,"count":3,"type":"VEC2"}]}
                """.formatted(base64(checkerPng()), base64(tinyHdr()), base64(buf.array()));
    }

    @Test
    void texturesSamplersTransformsAndMaterialExtensionsReachTheScene() throws Exception {
        Scene scene = SceneImporter.importScene(texturedTriangle().getBytes(StandardCharsets.UTF_8), "gltf");
        assertThat(scene.textures()).hasSize(1);
        Texture t = scene.textures().get(0);
        assertThat(t.width()).isEqualTo(2);
        assertThat(t.wrapS()).isEqualTo(Texture.Wrap.CLAMP);
        assertThat(t.wrapT()).isEqualTo(Texture.Wrap.MIRROR);
        assertThat(t.nearest()).isTrue();
        // Stored as the file holds it, rows top to bottom: red, green, blue, then white at alpha 128.
        assertThat(t.rgba()).containsExactly(-1, 0, 0, -1, 0, -1, 0, -1, 0, 0, -1, -1, -1, -1, -1, (byte) 128);

        Material m = scene.materials().get(0);
        TextureSlot base = m.textures().baseColor();
        assertThat(base.texture()).isZero();
        assertThat(base.texCoord()).isEqualTo(1);
        assertThat(base.offsetX()).isEqualTo(0.5f);
        assertThat(base.offsetY()).isEqualTo(0.25f);
        assertThat(base.scaleY()).isEqualTo(3f);
        assertThat(base.rotation()).isCloseTo(0.1f, within(1e-6f));
        assertThat(m.textures().emissive().texture()).isZero();
        assertThat(m.textures().emissive().texCoord()).isZero();
        assertThat(m.alphaCutoff()).isCloseTo(0.3f, within(1e-6f));
        assertThat(m.opacity()).isCloseTo(0.9f, within(1e-6f));
        assertThat(m.ior()).isCloseTo(1.33f, within(1e-6f));
        assertThat(m.specular()).isEqualTo(0.5f);
        assertThat(m.specularColor()).isEqualTo(new Rgb(1, 0.5f, 0.5f));
        assertThat(m.emission()).isEqualTo(new Rgb(4, 4, 4));

        // UVs as glTF stores them (v down the image), both sets.
        assertThat(scene.shading().uv0()).containsExactly(new float[]{0.25f, 0.75f, 1, 0.75f, 0.25f, 0}, within(1e-6f));
        assertThat(scene.shading().uv1()).containsExactly(new float[]{0.5f, 0.125f, 1, 1, 0, 0}, within(1e-6f));

        // The environment map from the scene's extras, times its strength.
        assertThat(scene.environmentMap().width()).isEqualTo(2);
        assertThat(scene.environmentMap().rgb()[0]).isCloseTo(2 * 128.5f / 128f, within(1e-5f));
        assertThat(scene.environmentMap().rgb()[3]).isZero();

        assertThat(scene.unsupported()).anyMatch(u -> u.contains("KHR_materials_sheen"));
        assertThat(scene.unsupported()).noneMatch(u -> u.contains("texture"));

        byte[] pkg = ScenePackage.encode(scene);
        Scene decoded = ScenePackage.decode(pkg);
        assertThat(decoded.textures()).isEqualTo(scene.textures());
        assertThat(decoded.materials()).isEqualTo(scene.materials());
        assertThat(decoded.shading().uv1()).containsExactly(scene.shading().uv1());
        assertThat(decoded.environmentMap().rgb()).containsExactly(scene.environmentMap().rgb());
        assertThat(ScenePackage.encode(SceneImporter.importScene(texturedTriangle().getBytes(StandardCharsets.UTF_8), "gltf")))
                .isEqualTo(pkg);
    }

    @Test
    void runLengthEncodedRadianceScanlinesDecode() throws Exception {
        // Width 8, one adaptive-RLE scanline: each channel one run of 8 equal bytes.
        byte[] header = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 8\n".getBytes(StandardCharsets.US_ASCII);
        byte[] line = {2, 2, 0, 8, (byte) 136, (byte) 128, (byte) 136, 64, (byte) 136, 32, (byte) 136, (byte) 130};
        byte[] file = new byte[header.length + line.length];
        System.arraycopy(header, 0, file, 0, header.length);
        System.arraycopy(line, 0, file, header.length, line.length);
        EnvironmentMap map = RadianceHdr.decode(file, 1f);
        assertThat(map.width()).isEqualTo(8);
        // Exponent 130: (128 + 0.5) / 256 * 4.
        assertThat(map.rgb()[21]).isCloseTo(128.5f / 64f, within(1e-6f));
        assertThat(map.rgb()[23]).isCloseTo(32.5f / 64f, within(1e-6f));
        byte[] truncated = java.util.Arrays.copyOf(file, file.length - 3);
        assertThatThrownBy(() -> RadianceHdr.decode(truncated, 1f)).isInstanceOf(InvalidSceneException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void anEnvironmentMapThatIsNotInTheUploadIsRefusedWithAReason() throws Exception {
        String gltf = texturedTriangle().replace("\"image\":1,", "\"image\":7,");
        assertThatThrownBy(() -> SceneImporter.importScene(gltf.getBytes(StandardCharsets.UTF_8), "gltf"))
                .isInstanceOf(InvalidSceneException.class).hasMessageContaining("environmentMap");
    }
}
