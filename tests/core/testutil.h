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

/**
 * Parameters in which every serialised field differs from the defaults (Parameters{}) and, where the
 * type allows, from every other field: a reader that forgets a field, or reads one key into another,
 * gives a different result.
 */
inline mlastudio::core::Parameters distinctParameters()
{
    mlastudio::core::Parameters p;
    mlastudio::core::ModelConfig &m = p.model;
    m.id = "fixture-model";
    m.name = "Fixture model";
    m.attention = mlastudio::core::AttentionKind::Gqa;
    m.hiddenSize = 5120;
    m.numLayers = 27;
    m.numHeads = 40;
    m.numKvHeads = 10;
    m.qkNopeHeadDim = 96;
    m.qkRopeHeadDim = 32;
    m.vHeadDim = 80;
    m.kvLoraRank = 384;
    m.qLoraRank = 768;
    m.intermediateSize = 13824;
    m.moeIntermediateSize = 1280;
    m.routedExperts = 96;
    m.sharedExperts = 3;
    m.expertsPerToken = 5;
    m.firstDenseLayers = 2;
    m.vocabSize = 65000;
    m.tiedEmbeddings = true;
    mlastudio::core::HardwareConfig &h = p.hardware;
    h.id = "fixture-hw";
    h.name = "Fixture GPU";
    h.peakFlopsBf16 = 123e12;
    h.peakFlopsFp8 = 247e12;
    h.peakFlopsFp4 = 494e12;
    h.dramBandwidthBytesPerS = 1.23e12;
    h.dramCapacityBytes = 47e9;
    h.sramCapacityBytes = 21.0 * 1048576;
    h.sramBandwidthBytesPerS = 17e12;
    h.energyPerMacBf16J = 0.9e-12;
    h.energyPerMacFp8J = 0.45e-12;
    h.energyPerMacFp4J = 0.2e-12;
    h.energyPerDramByteJ = 31e-12;
    h.energyPerSramByteJ = 1.3e-12;
    h.staticPowerW = 42.0;
    h.computeDerate = 0.7;
    h.bandwidthDerate = 0.8;
    h.attentionComputeDerate = 0.62;
    h.attentionBandwidthDerate = 0.87;
    h.kernelLatencyFloorS = 7e-6;
    h.mmaTileRows = 16;
    h.interconnectBandwidthBytesPerS = 123e9;
    h.interconnectLatencyS = 2.5e-6;
    p.parallel = {2, 3, 6};
    p.workload = {mlastudio::core::Phase::Prefill, 6, 3000, 3};
    p.precision = {8, 4, 8};
    p.applyDerates = true;
    p.scope = mlastudio::core::Scope::Kernel;
    return p;
}

} // namespace testutil
