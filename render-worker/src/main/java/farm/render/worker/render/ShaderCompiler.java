package farm.render.worker.render;

import static org.lwjgl.util.shaderc.Shaderc.*;

import java.nio.ByteBuffer;

/** GLSL to SPIR-V with shaderc at run time, targeting Vulkan 1.2, every float operation NoContraction. */
final class ShaderCompiler {
    private ShaderCompiler() {
    }

    /** Compiles a compute shader; the returned array is a copy, independent of shaderc's memory. */
    static byte[] compileCompute(String source, String fileName) {
        long compiler = shaderc_compiler_initialize();
        if (compiler == 0) {
            throw new IllegalStateException("shaderc_compiler_initialize failed");
        }
        long options = shaderc_compile_options_initialize();
        try {
            shaderc_compile_options_set_target_env(options, shaderc_target_env_vulkan, shaderc_env_version_vulkan_1_2);
            shaderc_compile_options_set_optimization_level(options, shaderc_optimization_level_performance);
            long result = shaderc_compile_into_spv(compiler, source, shaderc_compute_shader, fileName, "main", options);
            if (result == 0) {
                throw new IllegalStateException("shaderc returned no result for " + fileName);
            }
            try {
                if (shaderc_result_get_compilation_status(result) != shaderc_compilation_status_success) {
                    throw new IllegalStateException("compiling " + fileName + " failed:\n"
                            + shaderc_result_get_error_message(result));
                }
                ByteBuffer spirv = shaderc_result_get_bytes(result);
                byte[] copy = new byte[spirv.remaining()];
                spirv.get(copy);
                return NoContraction.apply(copy);
            } finally {
                shaderc_result_release(result);
            }
        } finally {
            shaderc_compile_options_release(options);
            shaderc_compiler_release(compiler);
        }
    }
}
