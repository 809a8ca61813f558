package farm.render.worker.render;

import farm.render.core.classes.NumericalFacts;
import farm.render.core.image.TileImage;
import farm.render.core.planning.DeviceMemoryNeed;
import farm.render.core.planning.TileRect;
import farm.render.core.scene.Scene;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Path traces pixels with a Vulkan compute shader (shaders/path_trace.comp). Every request, tile
 * or spot-check pixels, becomes a list of pixel coordinates run through the same entry point, so a
 * pixel's value does not depend on how it was requested or how the list was split into dispatches.
 *
 * <p>One thread at a time: the renderer owns one queue, one descriptor set and the buffers of the
 * last scene. Public methods are synchronized, so concurrent callers are serialised, not corrupted.
 * The uploaded scene is cached by {@code sceneKey}; a different key replaces it.
 */
public final class VulkanRenderer implements TileRenderer {
    /** Paths (pixels × spp) per dispatch: keeps each submission well under GPU watchdog limits. */
    static final int PATHS_PER_DISPATCH = 1 << 18;
    /**
     * Most samples per pixel in one pass on a GPU, and on the CPU (lavapipe). A pixel's samples add up in index
     * order whatever the pass size, so passes change no bits. On the CPU larger passes keep the SIMD lanes busier
     * (each lane starts its next sample as soon as its path ends, and a pass waits for its slowest lane); but
     * lavapipe stops an invocation's loops after 65,535 iterations in all, so a pass the shader reports as cut
     * short is run again, from the chunk's first sample, with half as many samples. On a GPU the pass size only
     * sets how many pixels share a dispatch ({@link #PATHS_PER_DISPATCH} paths), so it stays small.
     */
    static final int SAMPLES_PER_PASS = 16;
    static final int CPU_SAMPLES_PER_PASS = 64;
    private static final int MAX_PIPELINES = 8;

    private final VulkanDevice device;
    private final int pathsPerDispatch;
    private final boolean lightSampling;
    private final byte[] spirv;
    /** Features every pipeline is built for on top of the scene's; {@link PackedScene#FEATURE_ALL} in tests. */
    private final int extraFeatures;
    /** Pipelines by scene features, built on first use; few scenes' feature sets are in use at once. */
    private final Map<Integer, ComputePipeline> pipelines = new LinkedHashMap<>(8, 0.75f, true);
    private final ComputeQueue queue;
    private SceneBuffers scene;
    /** The device bytes of the last scene measured before its upload, and its key. */
    private String measuredKey;
    private long measuredBytes;
    private GpuBuffer pixelList;
    private GpuBuffer radiance;
    private boolean closed;
    /** Samples per pass for the current scene: {@link #maxPassSamples}, halved each time a pass is cut short. */
    private int passSamples;
    private final int maxPassSamples;

    private VulkanRenderer(VulkanDevice device, int pathsPerDispatch, boolean lightSampling, byte[] spirv,
                           int extraFeatures, int maxPassSamples, ComputeQueue queue) {
        this.extraFeatures = extraFeatures;
        this.maxPassSamples = maxPassSamples;
        this.passSamples = maxPassSamples;
        this.device = device;
        this.pathsPerDispatch = pathsPerDispatch;
        this.lightSampling = lightSampling;
        this.spirv = spirv;
        this.queue = queue;
    }

    /**
     * Creates the device and compiles the shader; pipelines are built per scene features on first use.
     *
     * @throws RendererUnavailableException when this machine has no usable Vulkan driver or device
     */
    public static VulkanRenderer open() {
        return open(DeviceChoice.any());
    }

    /** As {@link #open()} on the chosen device. */
    public static VulkanRenderer open(DeviceChoice choice) {
        return open(PATHS_PER_DISPATCH, true, choice);
    }

    /** The Vulkan devices this machine offers. */
    public static java.util.List<DeviceInfo> devices() {
        return VulkanDevice.list();
    }

    /** As {@link #open()} with a different dispatch size; tests use it to show chunking does not matter. */
    static VulkanRenderer open(int pathsPerDispatch) {
        return open(pathsPerDispatch, true);
    }

    /** As {@link #open(int)}; without light sampling every path finds light by BSDF sampling alone (tests compare both). */
    static VulkanRenderer open(int pathsPerDispatch, boolean lightSampling) {
        return open(pathsPerDispatch, lightSampling, DeviceChoice.any());
    }

    /** A renderer whose one pipeline has every feature compiled in, whatever the scene uses (tests compare both). */
    static VulkanRenderer openWithEveryFeature() {
        return open(PATHS_PER_DISPATCH, true, DeviceChoice.any(), PackedScene.FEATURE_ALL, 0);
    }

    /** A renderer that tries passes of up to this many samples (tests use it to show cut-short passes are redone). */
    static VulkanRenderer openWithPassSamples(int maxPassSamples) {
        return open(PATHS_PER_DISPATCH, true, DeviceChoice.any(), 0, maxPassSamples);
    }

    private static VulkanRenderer open(int pathsPerDispatch, boolean lightSampling, DeviceChoice choice) {
        return open(pathsPerDispatch, lightSampling, choice, 0, 0);
    }

    /** maxPassSamples 0: the device's default ({@link #SAMPLES_PER_PASS} or {@link #CPU_SAMPLES_PER_PASS}). */
    private static VulkanRenderer open(int pathsPerDispatch, boolean lightSampling, DeviceChoice choice, int extraFeatures,
                                       int maxPassSamples) {
        if (pathsPerDispatch <= 0 || maxPassSamples < 0) {
            throw new IllegalArgumentException("pathsPerDispatch must be positive and maxPassSamples not negative");
        }
        VulkanDevice device = VulkanDevice.create(choice);
        try {
            byte[] spirv = ShaderCompiler.compileCompute(PerturbedArithmetic.apply(ShaderSource.load("path_trace.comp")),
                    "path_trace.comp");
            ComputeQueue queue = ComputeQueue.create(device);
            int passSamples = maxPassSamples > 0 ? maxPassSamples : device.cpu() ? CPU_SAMPLES_PER_PASS : SAMPLES_PER_PASS;
            return new VulkanRenderer(device, pathsPerDispatch, lightSampling, spirv, extraFeatures, passSamples, queue);
        } catch (RuntimeException | Error e) {
            device.close();
            throw e;
        }
    }

    @Override
    public synchronized TileImage renderTile(Scene scene, String sceneKey, FrameRequest request, TileRect rect) {
        Objects.requireNonNull(rect, "rect");
        Objects.requireNonNull(request, "request");
        if ((long) rect.x() + rect.width() > request.imageWidth() || (long) rect.y() + rect.height() > request.imageHeight()) {
            throw new IllegalArgumentException("tile " + rect + " lies outside the "
                    + request.imageWidth() + "x" + request.imageHeight() + " image");
        }
        int[] xy = new int[rect.pixelCount() * 2];
        int i = 0;
        for (int y = rect.y(); y < rect.y() + rect.height(); y++) {
            for (int x = rect.x(); x < rect.x() + rect.width(); x++) {
                xy[i++] = x;
                xy[i++] = y;
            }
        }
        return new TileImage(rect.width(), rect.height(), render(scene, sceneKey, request, xy));
    }

    @Override
    public synchronized float[] renderPixels(Scene scene, String sceneKey, FrameRequest request, int[] xy) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(xy, "xy");
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("xy must hold x,y pairs; got " + xy.length + " numbers");
        }
        for (int i = 0; i < xy.length; i += 2) {
            if (xy[i] < 0 || xy[i] >= request.imageWidth() || xy[i + 1] < 0 || xy[i + 1] >= request.imageHeight()) {
                throw new IllegalArgumentException("pixel (" + xy[i] + "," + xy[i + 1] + ") lies outside the "
                        + request.imageWidth() + "x" + request.imageHeight() + " image");
            }
        }
        return render(scene, sceneKey, request, xy);
    }

    @Override
    public synchronized long deviceBytes(Scene scene, String sceneKey, int pixels) {
        long bytes;
        if (this.scene != null && this.scene.key().equals(sceneKey)) {
            bytes = this.scene.facts().deviceBytes();
        } else {
            if (!sceneKey.equals(measuredKey)) {
                measuredBytes = PackedScene.deviceBytes(scene);
                measuredKey = sceneKey;
            }
            bytes = measuredBytes;
        }
        return bytes + DeviceMemoryNeed.tileBytes(pixels);
    }

    @Override
    public long deviceMemoryBytes() {
        return device.largestDeviceLocalHeap();
    }

    @Override
    public String deviceName() {
        return device.name();
    }

    /** The facts that name this device's numerical class (its ids, driver, name, float controls, renderer version). */
    public NumericalFacts numericalFacts() {
        return device.numericalFacts();
    }

    /** The one path for every request: upload the pixel list, dispatch it in chunks, read the radiance. */
    private float[] render(Scene scene, String sceneKey, FrameRequest request, int[] xy) {
        Objects.requireNonNull(scene, "scene");
        Objects.requireNonNull(sceneKey, "sceneKey");
        if (closed) {
            throw new IllegalStateException("renderer is closed");
        }
        int pixels = xy.length / 2;
        float[] rgb = new float[pixels * 3];
        if (pixels == 0) {
            return rgb;
        }
        SceneBuffers uploaded = useScene(scene, sceneKey);
        ComputePipeline pipeline = pipeline(uploaded.facts().features() | extraFeatures);
        ensureCapacity(pixels);

        ByteBuffer list = pixelList.mapped();
        for (int v : xy) {
            list.putInt(v);
        }
        pipeline.bind(uploaded.vertices(), uploaded.triangles(), uploaded.materials(), uploaded.lights(),
                pixelList, radiance, uploaded.nodes(), uploaded.punctual(), uploaded.shading(), uploaded.textures(),
                uploaded.environment(), uploaded.instances());

        ByteBuffer push = ByteBuffer.allocateDirect(PushConstants.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        PushConstants.write(push, scene, request, uploaded.facts(), lightSampling);
        int chunk = chunkSize(pathsPerDispatch, Math.min(request.spp(), passSamples));
        for (int offset = 0; offset < pixels; offset += chunk) {
            int count = Math.min(chunk, pixels - offset);
            PushConstants.setRange(push, offset, count);
            renderChunk(pipeline, push, offset, count, request.spp());
        }

        ByteBuffer out = radiance.mapped();
        for (int p = 0; p < pixels; p++) {
            rgb[p * 3] = out.getFloat(p * 16);
            rgb[p * 3 + 1] = out.getFloat(p * 16 + 4);
            rgb[p * 3 + 2] = out.getFloat(p * 16 + 8);
        }
        return rgb;
    }

    /**
     * Runs every sample of the pixels [offset, offset + count) in passes. The shader marks a pixel whose pass
     * lavapipe's loop cap cut short (radiance w = 0); the chunk then starts over with passes half as large, which
     * later requests for the scene keep.
     */
    private void renderChunk(ComputePipeline pipeline, ByteBuffer push, int offset, int count, int spp) {
        int groups = (count + ComputePipeline.LOCAL_SIZE - 1) / ComputePipeline.LOCAL_SIZE;
        int s = 0;
        while (s < spp) {
            int n = Math.min(passSamples, spp - s);
            PushConstants.setSamples(push, s, n);
            queue.dispatchAndWait(pipeline, push, groups);
            if (passCompleted(offset, count)) {
                s += n;
            } else if (passSamples > 1) {
                passSamples /= 2;
                s = 0;
            } else {
                throw new IllegalStateException("the device stopped a one-sample pass short (lavapipe ends an invocation's "
                        + "loops after 65,535 iterations): the scene's hierarchy is too deep or the bounce limit too high");
            }
        }
    }

    private boolean passCompleted(int offset, int count) {
        ByteBuffer out = radiance.mapped();
        for (int p = offset; p < offset + count; p++) {
            if (out.getFloat(p * 16 + 12) != 1.0f) {
                return false;
            }
        }
        return true;
    }

    /** Samples per pass the renderer now uses for the current scene (tests). */
    int passSamples() {
        return passSamples;
    }

    /** The pipeline specialised for these scene features, built on first use; the least recently used goes beyond 8. */
    private ComputePipeline pipeline(int features) {
        ComputePipeline cached = pipelines.get(features);
        if (cached != null) {
            return cached;
        }
        ComputePipeline built = ComputePipeline.create(device, spirv, features);
        pipelines.put(features, built);
        if (pipelines.size() > MAX_PIPELINES) {
            Iterator<ComputePipeline> eldest = pipelines.values().iterator();
            eldest.next().close();
            eldest.remove();
        }
        return built;
    }

    /** Pixels per dispatch, a whole number of workgroups. */
    static int chunkSize(int pathsPerDispatch, int spp) {
        int pixels = Math.max(1, pathsPerDispatch / spp);
        int groups = Math.max(1, pixels / ComputePipeline.LOCAL_SIZE);
        return groups * ComputePipeline.LOCAL_SIZE;
    }

    private SceneBuffers useScene(Scene scene, String key) {
        if (this.scene != null && this.scene.key().equals(key)) {
            return this.scene;
        }
        // The old scene leaves the device before the new one is packed, so the two never take memory at once.
        if (this.scene != null) {
            this.scene.close();
            this.scene = null;
        }
        this.scene = SceneBuffers.upload(device, key, scene);
        passSamples = maxPassSamples;
        return this.scene;
    }

    private void ensureCapacity(int pixels) {
        long held = Math.max(pixels, DeviceMemoryNeed.MIN_BUFFER_PIXELS);
        if (pixelList == null || pixelList.size() < (long) pixels * DeviceMemoryNeed.PIXEL_LIST_BYTES) {
            if (pixelList != null) {
                pixelList.close();
                pixelList = null;
            }
            pixelList = GpuBuffer.create(device, held * DeviceMemoryNeed.PIXEL_LIST_BYTES);
        }
        if (radiance == null || radiance.size() < (long) pixels * DeviceMemoryNeed.RADIANCE_BYTES) {
            if (radiance != null) {
                radiance.close();
                radiance = null;
            }
            radiance = GpuBuffer.create(device, held * DeviceMemoryNeed.RADIANCE_BYTES);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (radiance != null) {
            radiance.close();
        }
        if (pixelList != null) {
            pixelList.close();
        }
        if (scene != null) {
            scene.close();
        }
        queue.close();
        pipelines.values().forEach(ComputePipeline::close);
        pipelines.clear();
        device.close();
    }
}
