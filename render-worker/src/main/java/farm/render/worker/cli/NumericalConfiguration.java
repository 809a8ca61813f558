package farm.render.worker.cli;

import farm.render.worker.render.DeviceInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A way of doing the renderer's float arithmetic: a Vulkan device, and for lavapipe the environment that changes its
 * code generation (the CPU features it may use, its vector width). A child process with {@code env} set renders in it.
 */
record NumericalConfiguration(String label, int device, Map<String, String> env) {
    /** The variables that change lavapipe's arithmetic: unset in every child, then set as a configuration says. */
    static final List<String> LAVAPIPE_VARIABLES = List.of("GALLIUM_OVERRIDE_CPU_CAPS", "LP_NATIVE_VECTOR_WIDTH");

    /**
     * Every configuration these devices reach, the reference first: lavapipe as it is, with SSE4.1 only, with 128-bit
     * vectors; then every other usable device as its driver is.
     */
    static List<NumericalConfiguration> reachable(List<DeviceInfo> devices) {
        List<NumericalConfiguration> configurations = new ArrayList<>();
        DeviceInfo lavapipe = devices.stream().filter(d -> d.usable() && d.name().toLowerCase(Locale.ROOT).contains("llvmpipe"))
                .findFirst().orElse(null);
        if (lavapipe != null) {
            configurations.add(new NumericalConfiguration("lavapipe as it is", lavapipe.index(), Map.of()));
            configurations.add(new NumericalConfiguration("lavapipe, GALLIUM_OVERRIDE_CPU_CAPS=sse4.1", lavapipe.index(),
                    Map.of("GALLIUM_OVERRIDE_CPU_CAPS", "sse4.1")));
            configurations.add(new NumericalConfiguration("lavapipe, LP_NATIVE_VECTOR_WIDTH=128", lavapipe.index(),
                    Map.of("LP_NATIVE_VECTOR_WIDTH", "128")));
        }
        for (DeviceInfo d : devices) {
            if (d.usable() && d != lavapipe) {
                configurations.add(new NumericalConfiguration("device " + d.index() + ": " + d.name() + " (" + d.type() + ")",
                        d.index(), Map.of()));
            }
        }
        return configurations;
    }
}
