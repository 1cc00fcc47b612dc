// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/parameters.h"
#include "mlastudio/core/presets.h"

#include <string>

// Shared by the core tests: parameters built from the shipped preset files.
namespace testutil {

inline std::string presetPath(const std::string &kind, const std::string &id)
{
    return std::string(MLASTUDIO_SOURCE_DIR) + "/presets/" + kind + "/" + id + ".json";
}

inline mlastudio::core::Parameters params(const std::string &model = "deepseek-v3",
                                          const std::string &hardware = "h100-sxm")
{
    mlastudio::core::Parameters p;
    p.model = mlastudio::core::loadModelPresetFile(presetPath("models", model)).config;
    p.hardware = mlastudio::core::loadHardwarePresetFile(presetPath("hardware", hardware)).config;
    return p;
}

inline mlastudio::core::Parameters params8(const std::string &model, const std::string &hardware)
{
    mlastudio::core::Parameters p = params(model, hardware);
    p.precision = {8, 8, 8};
    return p;
}

} // namespace testutil
