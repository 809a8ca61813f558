package farm.render.worker.cli;

import farm.render.core.classes.NumericalFacts;
import farm.render.core.classes.ProbeTile;
import farm.render.core.scene.InvalidSceneException;
import farm.render.core.classes.ProbeFingerprint;
import farm.render.worker.classes.ProbeRenderer;
import farm.render.worker.render.DeviceChoice;
import farm.render.worker.render.RendererUnavailableException;
import farm.render.worker.render.VulkanRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/**
 * {@code render-worker device-class [--device N] [--probes N]}: the numerical class this device reports to a farm, its
 * facts, and optionally the digests of the first N probe tiles, which a farm compares with its verifier's bit for bit.
 */
@Command(name = "device-class", mixinStandardHelpOptions = true, sortOptions = false,
        description = "the numerical class this device reports, its facts, and optionally its probe-tile digests")
public final class DeviceClassCommand implements Callable<Integer> {
    @Option(names = "--device", paramLabel = "N", description = "the Vulkan device, from the list `./farm worker` prints (default: the best)")
    private Integer device;
    @Option(names = "--probes", paramLabel = "N", description = "also render the first N probe tiles and print their digests (0..256)")
    private int probes;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (probes < 0 || probes > ProbeTile.MAX_PROBES) {
            System.err.println("device-class: --probes must be within 0.." + ProbeTile.MAX_PROBES);
            return 2;
        }
        DeviceChoice choice = device == null ? DeviceChoice.any() : new DeviceChoice(OptionalInt.of(device), true);
        try (VulkanRenderer renderer = VulkanRenderer.open(choice)) {
            NumericalFacts f = renderer.numericalFacts();
            out.println("class\t" + f.classId());
            out.println("device\t" + f.deviceName());
            out.printf("ids\tvendor 0x%04x, device 0x%04x, driver %d, driver version 0x%08x%n", f.vendorId(), f.deviceId(),
                    f.driverId(), f.driverVersion());
            out.println("driver\t" + f.driverName() + " (" + f.driverInfo() + ")");
            out.println("float controls\t" + f.floatControls());
            out.println("renderer\t" + f.rendererVersion());
            if (probes > 0) {
                List<String> digests = new ProbeRenderer(renderer, ProbeRenderer.samplesFolder()).digests(probes);
                for (int i = 0; i < digests.size(); i++) {
                    out.println("probe " + i + "\t" + digests.get(i));
                }
                out.println("fingerprint\t" + ProbeFingerprint.of(digests));
            }
            return 0;
        } catch (RendererUnavailableException e) {
            System.err.println("device-class: " + e.getMessage());
            return 3;
        } catch (IOException | InvalidSceneException e) {
            System.err.println("device-class: cannot render the probe tiles: " + e.getMessage());
            return 1;
        }
    }
}
