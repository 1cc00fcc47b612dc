// SPDX-License-Identifier: MIT
// libFuzzer target: model preset text -> core::parseModelPreset; a preset that parses is then
// evaluated on the default hardware (finite results required). Only PresetError may escape the parser.
#include "fuzz_common.h"

#include "mlastudio/core/presets.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    mlastudio::core::ModelPreset preset;
    try {
        preset = mlastudio::core::parseModelPreset(text, "fuzz.json");
    } catch (const mlastudio::core::PresetError &e) {
        if (e.file() != "fuzz.json")
            std::abort();
        return 0;
    }
    mlastudio::core::Parameters params;
    params.model = preset.config;
    mlastudio::fuzz::checkEvaluation(params);
    params.workload.phase = mlastudio::core::Phase::Prefill;
    params.workload.batch = 8;
    mlastudio::fuzz::checkEvaluation(params);
    return 0;
}
