// SPDX-License-Identifier: MIT
// Prints how fast the core evaluates: scheme-evaluations per second and the 512×512 scheme map.
// A benchmark, not a test: it prints figures and never fails on speed.
#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/platforms.h"
#include "mlastudio/core/presets.h"
#include "mlastudio/core/sweep.h"

#include <chrono>
#include <cstdio>
#include <string>

using namespace mlastudio::core;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

} // namespace

int main(int argc, char **argv)
{
    const std::string root = argc > 1 ? argv[1] : MLASTUDIO_SOURCE_DIR;
    Parameters p;
    p.model = loadModelPresetFile(root + "/presets/models/deepseek-v3.json").config;
    p.hardware = loadHardwarePresetFile(root + "/presets/hardware/h100-sxm.json").config;

    // 1. Totals-only evaluations along a KV-length sweep (what the throughput and energy views do).
    const std::vector<double> lengths = logSpace(128, 1 << 20, 1000);
    double sink = 0;
    long long evaluations = 0;
    auto t0 = Clock::now();
    while (seconds(t0, Clock::now()) < 1.0) {
        for (Scheme s : kAllSchemes)
            for (double L : lengths) {
                p.workload.kvLength = static_cast<long long>(L);
                sink += evaluateTotals(p, s).timeS;
                ++evaluations;
            }
    }
    const double fastRate = evaluations / seconds(t0, Clock::now());

    // 2. Full evaluations with operator lists and notes (what the roofline and explain views show).
    long long full = 0;
    t0 = Clock::now();
    while (seconds(t0, Clock::now()) < 0.5) {
        for (Scheme s : kAllSchemes) {
            sink += evaluate(p, s).timeS;
            ++full;
        }
    }
    const double fullRate = full / seconds(t0, Clock::now());

    // 3. The 512 × 512 bandwidth × compute scheme map for three schemes (best of 5).
    p.workload.kvLength = 4096;
    const auto bwList = logSpace(1e9, 2e13, 512), pfList = logSpace(1e11, 1e16, 512);
    const Eigen::ArrayXd bw = Eigen::Map<const Eigen::ArrayXd>(bwList.data(), 512);
    const Eigen::ArrayXd pf = Eigen::Map<const Eigen::ArrayXd>(pfList.data(), 512);
    double best = 1e9;
    for (int i = 0; i < 5; ++i) {
        t0 = Clock::now();
        const SchemeMap map = schemeMap(p, {Scheme::Mha, Scheme::MlaReuse, Scheme::MlaRecompute}, bw, pf);
        best = std::min(best, seconds(t0, Clock::now()));
        sink += map.speedupOverRunnerUp(0, 0);
    }

    // 4. The Platforms view's recompute: 20 platforms (the shipped presets, varied) x 7 schemes (best of 20).
    std::vector<HardwareConfig> platforms;
    for (const char *id : {"a100-40gb", "a100-80gb", "b200", "cloud-template", "edge-template", "gaudi3", "h100-sxm",
                           "h20", "h200", "h800", "jetson-agx-orin", "l40s", "mi300x", "rtx-4090", "tpu-v4", "tpu-v5e",
                           "tpu-v5p"})
        platforms.push_back(loadHardwarePresetFile(root + "/presets/hardware/" + id + ".json").config);
    for (int i = 0; platforms.size() < 20; ++i) {
        HardwareConfig extra = platforms[std::size_t(i)];
        extra.id += "-x2";
        extra.dramBandwidthBytesPerS *= 2;
        platforms.push_back(extra);
    }
    const std::vector<Scheme> schemes(kAllSchemes.begin(), kAllSchemes.end());
    p.workload.batch = 64;
    double bestPlatforms = 1e9;
    for (int i = 0; i < 20; ++i) {
        t0 = Clock::now();
        const auto rows = comparePlatforms(p, platforms, schemes);
        const auto stability = stabilityOf(rows, schemes);
        bestPlatforms = std::min(bestPlatforms, seconds(t0, Clock::now()));
        sink += rows.front().cells.front().result.timeS + stability.front().coefficientOfVariation;
    }

    std::printf("core scheme-evaluations per second (totals, one core): %.2f million\n", fastRate / 1e6);
    std::printf("core full evaluations per second (operators and notes): %.0f thousand\n", fullRate / 1e3);
    std::printf("512 x 512 bandwidth x compute scheme map, 3 schemes:   %.1f ms\n", best * 1e3);
    std::printf("platform comparison, 20 platforms x 7 schemes + stability: %.2f ms\n", bestPlatforms * 1e3);
    std::printf("(checksum %g)\n", sink);
    return 0;
}
