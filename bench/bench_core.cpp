// SPDX-License-Identifier: MIT
// Prints how fast the core evaluates: scheme-evaluations per second and the 512×512 scheme map.
// A benchmark, not a test: it prints figures and never fails on speed.
#include "mlastudio/core/evaluate.h"
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

    std::printf("core scheme-evaluations per second (totals, one core): %.2f million\n", fastRate / 1e6);
    std::printf("core full evaluations per second (operators and notes): %.0f thousand\n", fullRate / 1e3);
    std::printf("512 x 512 bandwidth x compute scheme map, 3 schemes:   %.1f ms\n", best * 1e3);
    std::printf("(checksum %g)\n", sink);
    return 0;
}
