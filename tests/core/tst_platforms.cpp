// SPDX-License-Identifier: MIT
// The platform comparison: each bar is one evaluate(), rows follow machine balance, the
// normalisations and the stability figures match hand calculations.
#include "check.h"
#include "testutil.h"

#include "mlastudio/core/platforms.h"

#include <cmath>

using namespace mlastudio::core;

namespace {

bool near(double a, double b, double rel = 1e-12)
{
    return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b));
}

const char *const kShipped[] = {"a100-40gb", "a100-80gb", "b200", "cloud-template", "edge-template", "gaudi3",
                                "h100-sxm", "h20", "h200", "h800", "jetson-agx-orin", "l40s", "mi300x",
                                "rtx-4090", "tpu-v4", "tpu-v5e", "tpu-v5p"};

std::vector<HardwareConfig> shipped()
{
    std::vector<HardwareConfig> out;
    for (const char *id : kShipped)
        out.push_back(loadHardwarePresetFile(testutil::presetPath("hardware", id)).config);
    return out;
}

Parameters decode64()
{
    Parameters p = testutil::params();
    p.workload.batch = 64;
    p.workload.kvLength = 4096;
    return p;
}

} // namespace

TEST_CASE(classesAndIds)
{
    CHECK(platformClassFromCategory("template") == PlatformClass::Template);
    CHECK(platformClassFromCategory("datacenter-gpu") == PlatformClass::Gpu);
    CHECK(platformClassFromCategory("datacenter-accelerator") == PlatformClass::Accelerator);
    CHECK(platformClassFromCategory("edge") == PlatformClass::Other);
    for (Normalization n : {Normalization::Absolute, Normalization::RelativeToMha, Normalization::FractionOfPeak})
        CHECK(normalizationFromId(normalizationId(n)) == n);
    CHECK(!normalizationFromId("relative"));
    // H100 SXM: 989.4 TFLOP/s over 3.35 TB/s.
    CHECK(near(machineBalanceFlopPerByte(testutil::params().hardware), 989.4 / 3.35));
}

TEST_CASE(everyBarIsOneEvaluate)
{
    for (bool derate : {false, true}) {
        Parameters p = decode64();
        p.applyDerates = derate;
        const std::vector<Scheme> schemes(kAllSchemes.begin(), kAllSchemes.end());
        const auto rows = comparePlatforms(p, shipped(), schemes);
        CHECK_EQ(rows.size(), std::size(kShipped));
        int cells = 0;
        for (const PlatformRow &row : rows) {
            CHECK_EQ(row.cells.size(), schemes.size());
            Parameters single = p;
            single.hardware = loadHardwarePresetFile(testutil::presetPath("hardware", row.hardware.id)).config;
            for (const PlatformCell &c : row.cells) {
                CHECK(c.valid);
                const StepResult r = evaluate(single, c.scheme);
                CHECK_EQ(c.result.tokensPerS, r.tokensPerS);
                CHECK_EQ(c.result.energyPerTokenJ, r.energyPerTokenJ);
                CHECK_EQ(c.result.dramEnergyJ, r.dramEnergyJ);
                CHECK_EQ(c.result.bound, r.bound);
                CHECK_EQ(c.result.fitsInDram, r.fitsInDram);
                CHECK_EQ(c.utilisation, utilisation(single, r));
                ++cells;
            }
        }
        CHECK_EQ(cells, int(std::size(kShipped) * schemes.size()));
    }
    // MHA at B = 64, L = 4096 needs ~1 TB of cache: it does not fit on an 80 GB H100 but is still a bar.
    const auto rows = comparePlatforms(decode64(), {testutil::params().hardware}, {Scheme::Mha});
    CHECK(rows[0].cells[0].valid && !rows[0].cells[0].result.fitsInDram);
}

TEST_CASE(orderFollowsMachineBalance)
{
    const auto hw = shipped();
    const auto rows = comparePlatforms(decode64(), hw, {Scheme::MlaReuse});
    for (std::size_t i = 1; i < rows.size(); ++i)
        CHECK(rows[i - 1].machineBalanceFlopPerByte <= rows[i].machineBalanceFlopPerByte);
    // Equal balance keeps the given order (stable).
    HardwareConfig a = hw[6], b = hw[6];
    a.id = "first";
    b.id = "second";
    b.peakFlopsBf16 *= 2;
    b.dramBandwidthBytesPerS *= 2;
    HardwareConfig low = hw[6];
    low.id = "low";
    low.peakFlopsBf16 /= 10;
    const auto order = orderByMachineBalance({a, b, low});
    CHECK_EQ(order, (std::vector<std::size_t>{2, 0, 1}));
}

TEST_CASE(normalisationsByHand)
{
    // Two platforms, MLA (reuse) against MHA, ideal roofline.
    const Parameters p = decode64();
    Parameters h100 = p, a100 = p;
    h100.hardware = testutil::params("deepseek-v3", "h100-sxm").hardware;
    a100.hardware = testutil::params("deepseek-v3", "a100-80gb").hardware;
    const auto rows = comparePlatforms(p, {h100.hardware, a100.hardware}, {Scheme::Mha, Scheme::MlaReuse});
    // A100 80GB: 312 TFLOP/s / 2.039 TB/s = 153 FLOP/B < H100's 295 FLOP/B, so it comes first.
    CHECK_EQ(rows[0].hardware.id, std::string("a100-80gb"));
    CHECK_EQ(rows[1].hardware.id, std::string("h100-sxm"));
    const struct {
        const PlatformRow &row;
        const Parameters &params;
        double peak, bandwidth;
    } cases[] = {{rows[0], a100, 312e12, 2.039e12}, {rows[1], h100, 989.4e12, 3.35e12}};
    for (const auto &k : cases) {
        CHECK(near(k.params.hardware.peakFlopsBf16, k.peak) && near(k.params.hardware.dramBandwidthBytesPerS, k.bandwidth));
        const StepResult mha = evaluate(k.params, Scheme::Mha);
        const StepResult mla = evaluate(k.params, Scheme::MlaReuse);
        const PlatformCell &cell = *k.row.cell(Scheme::MlaReuse);
        CHECK_EQ(normalizedThroughput(k.row, cell, Normalization::Absolute), mla.tokensPerS);
        CHECK(near(normalizedThroughput(k.row, cell, Normalization::RelativeToMha), mha.timeS / mla.timeS));
        CHECK(near(normalizedEnergy(k.row, cell, Normalization::RelativeToMha), mla.energyPerTokenJ / mha.energyPerTokenJ));
        CHECK_EQ(normalizedEnergy(k.row, cell, Normalization::Absolute), mla.energyPerTokenJ);
        // Utilisation: achieved FLOP/s over min(P, I·BW) with the datasheet numbers.
        const double achieved = mla.flops / mla.timeS;
        const double roof = std::min(k.peak, mla.flops / mla.dramBytes * k.bandwidth);
        CHECK(near(normalizedThroughput(k.row, cell, Normalization::FractionOfPeak), achieved / roof, 1e-9));
        CHECK(cell.utilisation > 0.0 && cell.utilisation <= 1.0 + 1e-12);
        // MHA against itself.
        CHECK(near(normalizedThroughput(k.row, *k.row.cell(Scheme::Mha), Normalization::RelativeToMha), 1.0));
    }
    // MLA (reuse) reads ~57x less cache than MHA: a large speed-up on both.
    CHECK(normalizedThroughput(rows[0], *rows[0].cell(Scheme::MlaReuse), Normalization::RelativeToMha) > 10.0);
}

TEST_CASE(utilisationIsOneOnASingleRoof)
{
    // Every kernel DRAM-bound (huge compute and on-chip bandwidth): the step runs on the memory roof.
    Parameters p = decode64();
    p.hardware.peakFlopsBf16 = 1e19;
    p.hardware.peakFlopsFp8 = 0.0;
    p.hardware.sramBandwidthBytesPerS = 1e19;
    const StepResult r = evaluate(p, Scheme::Mha);
    CHECK(r.bound == Bound::Dram);
    CHECK(near(utilisation(p, r), 1.0, 1e-9));
    // With the derates the roof is η_m,att · BW: a step at full bandwidth exceeds it only if η < 1 lowers the roof.
    p.applyDerates = true;
    p.hardware.bandwidthDerate = p.hardware.attentionBandwidthDerate = 0.5;
    p.hardware.kernelLatencyFloorS = 0.0;
    p.hardware.mmaTileRows = 1;
    const StepResult d = evaluate(p, Scheme::Mha);
    CHECK(near(d.timeS, 2.0 * r.timeS, 1e-9));
    CHECK(near(utilisation(p, d), 1.0, 1e-9));
}

TEST_CASE(stabilityHandExample)
{
    // u = 0.2, 0.4, 0.6: mean 0.4, population sd sqrt(0.08/3) = 0.16330, CV 0.40825, max/min 3.
    const Stability s = stabilityOfValues({0.2, 0.4, 0.6});
    CHECK_EQ(s.platforms, 3);
    CHECK(near(s.meanUtilisation, 0.4));
    CHECK(near(s.maxOverMin, 3.0));
    CHECK(near(s.coefficientOfVariation, std::sqrt(0.08 / 3.0) / 0.4, 1e-12));
    CHECK(std::fabs(s.coefficientOfVariation - 0.408248) < 1e-6);
    CHECK(std::isinf(stabilityOfValues({0.0, 0.5}).maxOverMin));
    CHECK_EQ(stabilityOfValues({}).platforms, 0);
    // Over rows: the figures of each scheme's utilisations.
    const auto rows = comparePlatforms(decode64(), shipped(), {Scheme::Mha, Scheme::MlaReuse});
    const auto st = stabilityOf(rows, {Scheme::Mha, Scheme::MlaReuse});
    std::vector<double> u;
    for (const auto &row : rows)
        u.push_back(row.cell(Scheme::MlaReuse)->utilisation);
    CHECK_EQ(st[1].scheme, Scheme::MlaReuse);
    CHECK_EQ(st[1].coefficientOfVariation, stabilityOfValues(u).coefficientOfVariation);
    CHECK_EQ(st[1].platforms, int(std::size(kShipped)));
}

TEST_CASE(inapplicableAndInvalid)
{
    // A model without a latent: MLA cells are invalid, MHA normalisation still works.
    const Parameters llama = testutil::params("llama-3.1-70b");
    const auto rows = comparePlatforms(llama, {llama.hardware}, {Scheme::MlaReuse, Scheme::Gqa});
    CHECK(!rows[0].cells[0].valid);
    CHECK(std::isnan(normalizedThroughput(rows[0], rows[0].cells[0], Normalization::Absolute)));
    CHECK(rows[0].mhaValid);
    CHECK(near(normalizedThroughput(rows[0], rows[0].cells[1], Normalization::RelativeToMha),
               evaluate(llama, Scheme::Gqa).tokensPerS / evaluate(llama, Scheme::Mha).tokensPerS));
    // A platform with no bandwidth cannot be evaluated: its row says why and has no valid cell.
    HardwareConfig broken = llama.hardware;
    broken.dramBandwidthBytesPerS = 0.0;
    const auto bad = comparePlatforms(llama, {broken}, {Scheme::Gqa});
    CHECK(!bad[0].problem.empty() && !bad[0].cells[0].valid && !bad[0].mhaValid);
}

CHECK_MAIN()
