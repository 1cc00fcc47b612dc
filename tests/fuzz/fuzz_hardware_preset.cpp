// SPDX-License-Identifier: MIT
// libFuzzer target: hardware preset text -> core::parseHardwarePreset; a preset that parses is then
// evaluated with the default model (finite results required). Only PresetError may escape the parser.
#include "fuzz_common.h"

#include "mlastudio/core/presets.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    mlastudio::core::HardwarePreset preset;
    try {
        preset = mlastudio::core::parseHardwarePreset(text, "fuzz.json");
    } catch (const mlastudio::core::PresetError &e) {
        if (e.file() != "fuzz.json")
            std::abort(); // errors must name the file they come from
        return 0;
    }
    mlastudio::core::Parameters params;
    params.hardware = preset.config;
    mlastudio::fuzz::checkEvaluation(params);
    params.applyDerates = true;
    params.precision = {8, 8, 8};
    mlastudio::fuzz::checkEvaluation(params);
    return 0;
}
