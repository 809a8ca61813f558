package farm.render.core.classes;

import farm.render.core.digest.Digests;
import farm.render.core.identity.CanonicalBytes;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What decides how a device does the renderer's float arithmetic, as Vulkan reports it: vendor, device and driver ids,
 * the driver's version, name and info, the device's name (lavapipe names its vector width there: "256 bits" or "128
 * bits"), its float-controls properties, and the renderer version. Devices with equal facts form one numerical class;
 * {@link #classId()} is its stable name. A worker reports these, so every field is bounded and checked by {@link #problem()}.
 *
 * @param vendorId      VkPhysicalDeviceProperties.vendorID (a uint32)
 * @param deviceId      VkPhysicalDeviceProperties.deviceID (a uint32)
 * @param driverId      VkPhysicalDeviceDriverProperties.driverID (a VkDriverId, 0 when the driver does not say)
 * @param driverVersion VkPhysicalDeviceProperties.driverVersion (a uint32, encoded as the vendor chooses)
 * @param floatControls the float-controls properties in one canonical line
 */
public record NumericalFacts(long vendorId, long deviceId, long driverId, long driverVersion, String deviceName,
                             String driverName, String driverInfo, String floatControls, String rendererVersion) {
    /** Vulkan's own bound on device and driver strings (VK_MAX_PHYSICAL_DEVICE_NAME_SIZE, VK_MAX_DRIVER_INFO_SIZE). */
    public static final int MAX_NAME = 256;
    public static final int MAX_FLOAT_CONTROLS = 512;
    private static final long MAX_UINT32 = 0xffffffffL;

    /** The class these facts name: a digest of every field, so any difference gives another class. */
    public String classId() {
        byte[] bytes = CanonicalBytes.of("render-farm/numerical-class/v1").int64(vendorId).int64(deviceId).int64(driverId)
                .int64(driverVersion).text(deviceName).text(driverName).text(driverInfo).text(floatControls)
                .text(rendererVersion).bytes();
        return "nc-" + Digests.sha256Hex(bytes).substring(0, 24);
    }

    /** Whether a string is a class id as {@link #classId()} writes it. */
    public static boolean isClassId(String s) {
        return s != null && s.matches("nc-[0-9a-f]{24}");
    }

    /** The first field at fault and why, empty when every field is in bounds. */
    public Optional<Problem> problem() {
        Optional<Problem> p = uint32("vendorId", vendorId).or(() -> uint32("deviceId", deviceId))
                .or(() -> uint32("driverId", driverId)).or(() -> uint32("driverVersion", driverVersion))
                .or(() -> text("deviceName", deviceName, 1, MAX_NAME))
                .or(() -> text("driverName", driverName, 0, MAX_NAME))
                .or(() -> text("driverInfo", driverInfo, 0, MAX_NAME))
                .or(() -> text("floatControls", floatControls, 0, MAX_FLOAT_CONTROLS));
        if (p.isPresent()) {
            return p;
        }
        if (rendererVersion == null || !rendererVersion.matches("[A-Za-z0-9._-]{1,64}")) {
            return Optional.of(new Problem("rendererVersion", "rendererVersion must be 1-64 letters, digits, '.', '_' or '-'"));
        }
        return Optional.empty();
    }

    private static Optional<Problem> uint32(String field, long value) {
        return value < 0 || value > MAX_UINT32 ? Optional.of(new Problem(field, field + " must be a 32-bit unsigned number"))
                : Optional.empty();
    }

    private static Optional<Problem> text(String field, String value, int min, int max) {
        if (value == null || value.length() < min || value.getBytes(StandardCharsets.UTF_8).length > max
                || !value.chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f)) {
            return Optional.of(new Problem(field, field + " must be " + min + "-" + max + " bytes of printable characters"));
        }
        return Optional.empty();
    }

    /** A field of a report that is out of bounds. */
    public record Problem(String field, String detail) {
    }
}
