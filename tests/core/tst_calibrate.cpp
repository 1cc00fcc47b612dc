// SPDX-License-Identifier: MIT
// Calibration (docs/validation.md): the least-squares fit recovers known efficiencies from
// synthetic points, keeps what no point constrains, and the leave-one-source-out check.
#include "check.h"
#include "testutil.h"

#include "mlastudio/core/calibrate.h"
#include "mlastudio/core/measured.h"
#include "mlastudio/core/validation.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

using namespace mlastudio::core;

namespace {

// A kernel with ideal compute time F and ideal DRAM time B at peak: max(F/η_c, B/η_b, floor).
struct Kernel {
    double idealComputeS;
    double idealDramS;
};

double roofline(const Kernel &k, const KernelEfficiencies &e)
{
    return std::max({k.idealComputeS / e.computeDerate, k.idealDramS / e.bandwidthDerate, e.latencyFloorS});
}

// Compute-bound, DRAM-bound, floor-bound and balanced kernels, so every number is constrained.
const std::vector<Kernel> kKernels = {
    {100e-6, 20e-6}, {400e-6, 90e-6}, {30e-6, 4e-6},    // compute
    {10e-6, 200e-6}, {40e-6, 800e-6}, {3e-6, 60e-6},    // DRAM
    {1e-6, 2e-6}, {2e-6, 5e-6},                          // floor
    {50e-6, 55e-6},                                      // balanced
};

std::vector<double> synthesize(const std::vector<Kernel> &kernels, const KernelEfficiencies &truth)
{
    std::vector<double> t;
    for (const Kernel &k : kernels)
        t.push_back(roofline(k, truth));
    return t;
}

KernelTimePredictor predictorOf(const std::vector<Kernel> &kernels)
{
    return [&kernels](std::size_t i, const KernelEfficiencies &e) { return roofline(kernels[i], e); };
}

bool within(double value, double expected, double relative)
{
    return std::abs(value - expected) <= relative * std::abs(expected);
}

} // namespace

TEST_CASE(statistics)
{
    // |110-100|/100 = 10 %, |40-50|/50 = 20 %, |300-300| = 0: mean 10 %.
    CHECK_EQ(meanAbsolutePercentageError({110.0, 40.0, 300.0}, {100.0, 50.0, 300.0}), 10.0);
    CHECK_EQ(meanAbsolutePercentageError({}, {}), 0.0);
    CHECK_EQ(median({3.0, 1.0, 2.0}), 2.0);
    CHECK_EQ(median({4.0, 1.0, 3.0, 2.0}), 2.5);
    CHECK_EQ(median({}), 0.0);
    // ln 2 squared for a prediction twice the measurement, twice.
    const KernelTimePredictor twice = [](std::size_t i, const KernelEfficiencies &) { return 2.0 * double(i + 1); };
    CHECK(within(logSquaredError({1.0, 2.0}, twice, {}), 2.0 * std::log(2.0) * std::log(2.0), 1e-12));
}

TEST_CASE(recoversKnownEfficiencies)
{
    struct Truth {
        const char *name;
        double compute, bandwidth, floorUs;
    };
    for (const Truth &c : {Truth{"hopper-like", 0.72, 0.86, 11.0}, Truth{"low efficiencies", 0.18, 0.35, 8.0},
                           Truth{"ideal, no floor", 1.0, 1.0, 0.0}, Truth{"long floor", 0.6, 0.9, 30.0}}) {
        const KernelEfficiencies truth{c.compute, c.bandwidth, c.floorUs * 1e-6};
        const std::vector<double> measured = synthesize(kKernels, truth);
        // Start from the generic derates (0.55 / 0.91) and a floor that is wrong.
        const KernelEfficiencies start{0.55, 0.91, 2e-6};
        const EfficiencyFit fit = fitKernelEfficiencies(measured, predictorOf(kKernels), start);
        const std::string got = std::string(c.name) + ": " + std::to_string(fit.fitted.computeDerate) + " "
                                + std::to_string(fit.fitted.bandwidthDerate) + " " + std::to_string(fit.fitted.latencyFloorS);
        CHECK_MSG(within(fit.fitted.computeDerate, c.compute, 0.02), got);
        CHECK_MSG(within(fit.fitted.bandwidthDerate, c.bandwidth, 0.02), got);
        if (c.floorUs > 0.0)
            CHECK_MSG(within(fit.fitted.latencyFloorS, truth.latencyFloorS, 0.02), got);
        else  // no floor: any floor below the shortest kernel (2 µs) fits exactly
            CHECK_MSG(fit.fitted.latencyFloorS <= 2e-6 * 1.0001, got);
        CHECK(fit.costStart > 0.01);
        // Exact data: only the weak pull towards the start is left (RMS log residual well under 1 %).
        CHECK_MSG(fit.costFitted < 1e-4, got + " cost " + std::to_string(fit.costFitted));
        CHECK(fit.computeIdentified && fit.bandwidthIdentified);
        CHECK(fit.fitted.computeDerate >= kMinFittedDerate && fit.fitted.computeDerate <= kMaxFittedDerate);
        CHECK(fit.evaluations > 0);
    }
}

TEST_CASE(recoversWithAnAdditiveFloor)
{
    // The fit only sees a predictor: a launch cost added to the roofline time works the same way.
    const auto additive = [](const Kernel &k, const KernelEfficiencies &e) {
        return std::max(k.idealComputeS / e.computeDerate, k.idealDramS / e.bandwidthDerate) + e.latencyFloorS;
    };
    const KernelEfficiencies truth{0.8, 0.7, 6e-6};
    std::vector<double> measured;
    for (const Kernel &k : kKernels)
        measured.push_back(additive(k, truth));
    const EfficiencyFit fit = fitKernelEfficiencies(
        measured, [&](std::size_t i, const KernelEfficiencies &e) { return additive(kKernels[i], e); }, {0.5, 0.5, 0.0});
    CHECK_MSG(within(fit.fitted.computeDerate, 0.8, 0.02), std::to_string(fit.fitted.computeDerate));
    CHECK_MSG(within(fit.fitted.bandwidthDerate, 0.7, 0.02), std::to_string(fit.fitted.bandwidthDerate));
    CHECK_MSG(within(fit.fitted.latencyFloorS, 6e-6, 0.02), std::to_string(fit.fitted.latencyFloorS));
}

TEST_CASE(keepsWhatNoPointConstrains)
{
    // Only DRAM-bound kernels far above any floor: the compute derate and the floor are free (the
    // fit keeps the start values; a floor of 5 µs stays below every kernel).
    const std::vector<Kernel> dram = {{1e-6, 200e-6}, {2e-6, 500e-6}, {0.5e-6, 90e-6}};
    const KernelEfficiencies truth{0.9, 0.8, 0.0};
    const KernelEfficiencies start{0.55, 0.91, 5e-6};
    const EfficiencyFit fit = fitKernelEfficiencies(synthesize(dram, truth), predictorOf(dram), start);
    CHECK(within(fit.fitted.bandwidthDerate, 0.8, 0.02));
    CHECK(fit.bandwidthIdentified);
    CHECK(!fit.computeIdentified);
    CHECK_EQ(fit.fitted.computeDerate, 0.55);
    CHECK(!fit.floorIdentified);
    CHECK_EQ(fit.fitted.latencyFloorS, 5e-6);
}

TEST_CASE(neverWorseThanTheStart)
{
    // Measurements the model cannot reach (faster than the ideal roofline at η = 1): the fit
    // goes to the bound and is no worse than where it started.
    const std::vector<Kernel> k = {{100e-6, 10e-6}, {80e-6, 5e-6}};
    const std::vector<double> measured = {50e-6, 40e-6};
    const KernelEfficiencies start{0.5, 0.5, 0.0};
    const EfficiencyFit fit = fitKernelEfficiencies(measured, predictorOf(k), start);
    CHECK(fit.costFitted <= fit.costStart);
    CHECK(within(fit.fitted.computeDerate, 1.0, 1e-6));
    CHECK_EQ(fitKernelEfficiencies({}, predictorOf(k), start).fitted, start);
}

TEST_CASE(leaveOneSourceOut)
{
    const KernelEfficiencies truth{0.7, 0.85, 10e-6};
    const KernelEfficiencies start{0.55, 0.91, 0.0};
    // Three sources that each cover compute-, DRAM- and floor-bound kernels.
    std::vector<Kernel> kernels;
    std::vector<std::string> sources;
    for (const char *s : {"a", "b", "c"})
        for (std::size_t i = 0; i < kKernels.size(); ++i) {
            kernels.push_back({kKernels[i].idealComputeS * (1.0 + 0.1 * double(sources.size() % 3)),
                               kKernels[i].idealDramS});
            sources.push_back(s);
        }
    std::vector<double> measured = synthesize(kernels, truth);
    // The weak prior: exact data are fitted exactly (the MAP prior is checked below).
    HardwareCalibration c = calibrate(measured, sources, predictorOf(kernels), start, kWeakPriorWeight);
    CHECK_EQ(c.holdouts.size(), std::size_t(3));
    CHECK_EQ(c.holdouts[0].source, std::string("a"));
    CHECK_EQ(c.holdouts[0].points.size(), kKernels.size());
    for (const SourceHoldout &h : c.holdouts) {
        CHECK(h.refitted);
        CHECK(within(h.fitted.computeDerate, 0.7, 0.02));
    }
    CHECK(c.mapeStartPct > 5.0);
    CHECK_MSG(c.mapeFittedPct < 0.5, std::to_string(c.mapeFittedPct));
    CHECK_MSG(c.mapeHoldoutPct < 0.5, std::to_string(c.mapeHoldoutPct));
    CHECK_EQ(c.predictedStartS.size(), measured.size());
    CHECK_EQ(c.predictedStartS[0], roofline(kernels[0], start));

    // Source "c" reports every kernel 1.5x slower: in-sample the fit compromises; held out, the
    // other two sources predict c's points from the true efficiencies, 1/1.5 of what c reports.
    for (std::size_t i = 0; i < measured.size(); ++i)
        if (sources[i] == "c")
            measured[i] *= 1.5;
    c = calibrate(measured, sources, predictorOf(kernels), start, kWeakPriorWeight);
    std::vector<double> heldC, measC;
    for (std::size_t i : c.holdouts[2].points) {
        heldC.push_back(c.predictedHoldoutS[i]);
        measC.push_back(measured[i]);
    }
    CHECK_MSG(within(meanAbsolutePercentageError(heldC, measC), 100.0 / 3.0, 0.02),
              std::to_string(meanAbsolutePercentageError(heldC, measC)));
    CHECK(c.mapeHoldoutPct > c.mapeFittedPct);

    // One source only: nothing is left to refit, the start values predict it.
    const HardwareCalibration one = calibrate({10e-6}, {"x"}, predictorOf(kKernels), start);
    CHECK_EQ(one.holdouts.size(), std::size_t(1));
    CHECK(!one.holdouts[0].refitted);
    CHECK_EQ(one.predictedHoldoutS[0], one.predictedStartS[0]);
}

TEST_CASE(calibrationPriorIsTheMapEstimate)
{
    // σ_d = 0.16, σ_p = 0.25: w = 0.0256 / 0.0625 = 0.4096.
    CHECK(within(kCalibrationPriorWeight, 0.4096, 1e-12));
    // Three compute-bound kernels measured with η_c = 0.7, the preset says 0.5. Each residual is
    // x − ln 0.7 with x = ln η_c, so the cost 3(x − ln 0.7)² + w(x − ln 0.5)² is least at
    // x* = (3 ln 0.7 + w ln 0.5)/(3 + w) = −0.397096: η_c = 0.67227. The bandwidth and the floor
    // do not move any time and keep the preset's values.
    const std::vector<Kernel> compute = {{100e-6, 1e-6}, {200e-6, 2e-6}, {50e-6, 1e-6}};
    const KernelEfficiencies truth{0.7, 0.9, 0.0};
    const KernelEfficiencies start{0.5, 0.9, 0.0};
    const std::vector<double> measured = synthesize(compute, truth);
    const double expected = std::exp((3.0 * std::log(0.7) + 0.4096 * std::log(0.5)) / 3.4096);
    CHECK(within(expected, 0.67227, 1e-4));
    const HardwareCalibration c = calibrate(measured, {"a", "a", "b"}, predictorOf(compute), start);
    CHECK_MSG(within(c.fit.fitted.computeDerate, expected, 1e-5), std::to_string(c.fit.fitted.computeDerate));
    CHECK_EQ(c.fit.fitted.bandwidthDerate, 0.9);
    CHECK_EQ(c.fit.fitted.latencyFloorS, 0.0);
    // Holding out "a" leaves one point: x* = (ln 0.7 + w ln 0.5)/(1 + w), pulled further to 0.5.
    const double heldOut = std::exp((std::log(0.7) + 0.4096 * std::log(0.5)) / 1.4096);
    CHECK_MSG(within(c.holdouts[0].fitted.computeDerate, heldOut, 1e-5), std::to_string(c.holdouts[0].fitted.computeDerate));
    // The weak prior is least squares: it recovers 0.7.
    const EfficiencyFit weak = fitKernelEfficiencies(measured, predictorOf(compute), start);
    CHECK_MSG(within(weak.fitted.computeDerate, 0.7, 1e-3), std::to_string(weak.fitted.computeDerate));
}

TEST_CASE(recoversEfficienciesOfTheModel)
{
    // Points generated by the model itself (kernel scope, derates on) with known efficiencies on a
    // copy of the H100 preset: compute-bound prefill, DRAM-bound decode and launch-bound tiny decode.
    const Parameters base = testutil::params("llama-3.1-70b", "h100-sxm");
    HardwareConfig truthHw = base.hardware;
    const KernelEfficiencies truth{0.62, 0.78, 14e-6};
    setKernelEfficiencies(truthHw, truth);
    struct Config {
        Scheme scheme;
        Phase phase;
        int batch;
        long long seqLen;
        const char *source;
    };
    const Config configs[] = {
        {Scheme::Mha, Phase::Prefill, 1, 16384, "prefill-paper"}, {Scheme::Mha, Phase::Prefill, 2, 8192, "prefill-paper"},
        {Scheme::Gqa, Phase::Prefill, 1, 4096, "prefill-repo"},   {Scheme::Mha, Phase::Decode, 16, 4096, "decode-issue"},
        {Scheme::Gqa, Phase::Decode, 64, 8192, "decode-issue"},   {Scheme::Mha, Phase::Decode, 1, 256, "tiny-bench"},
        {Scheme::Gqa, Phase::Decode, 2, 128, "tiny-bench"},       {Scheme::Mha, Phase::Decode, 32, 16384, "decode-repo"},
    };
    std::vector<ValidationRow> rows;
    int line = 2;
    for (const Config &c : configs) {
        ValidationRow r;
        r.point.file = "synthetic.csv";
        r.point.line = line++;
        r.point.source = c.source;
        r.point.hardwareId = base.hardware.id;
        r.point.modelId = base.model.id;
        r.point.scheme = c.scheme;
        r.point.phase = c.phase;
        r.point.batch = c.batch;
        r.point.seqLen = c.seqLen;
        Parameters truthParams = measuredPointParameters(r.point, base.model, truthHw, true);
        r.point.measuredTimeS = kernelTimeS(truthParams, c.scheme);
        // The rows start from the shipped preset's efficiencies, as `validate --fit` does.
        r.params = measuredPointParameters(r.point, base.model, base.hardware, true);
        predictRow(r, kernelTimeS);
        rows.push_back(r);
    }
    // The set spans the three regimes (else the test could not fail for one of the numbers).
    CHECK(rows[0].point.measuredTimeS > 1e-3);
    // The tiny kernel is mostly launch time: t_0 plus a roofline time of about 3 µs.
    CHECK(rows[5].point.measuredTimeS > truth.latencyFloorS && rows[5].point.measuredTimeS < 1.3 * truth.latencyFloorS);

    // Exact synthetic data: least squares (the weak prior) must recover the truth.
    const std::vector<HardwareFit> fits = calibrateRows(rows, kernelTimeS, kWeakPriorWeight);
    CHECK_EQ(fits.size(), std::size_t(1));
    const EfficiencyFit &fit = fits[0].calibration.fit;
    CHECK_EQ(fit.start, kernelEfficienciesOf(base.hardware));
    CHECK_MSG(within(fit.fitted.computeDerate, truth.computeDerate, 0.02), std::to_string(fit.fitted.computeDerate));
    CHECK_MSG(within(fit.fitted.bandwidthDerate, truth.bandwidthDerate, 0.02), std::to_string(fit.fitted.bandwidthDerate));
    CHECK_MSG(within(fit.fitted.latencyFloorS, truth.latencyFloorS, 0.02), std::to_string(fit.fitted.latencyFloorS));
    CHECK(fit.computeIdentified && fit.bandwidthIdentified && fit.floorIdentified);
    CHECK(fits[0].calibration.mapeStartPct > 5.0);
    CHECK_MSG(fits[0].calibration.mapeFittedPct < 1.0, std::to_string(fits[0].calibration.mapeFittedPct));
    // Leave-one-source-out: held out, each source's points are predicted from the others. Only the
    // tiny kernels are launch-dominated; without them the floor is seen only as a small addition to
    // long kernels, so their held-out prediction lies between the preset's floor (12 µs, not 14) and
    // the truth. Every other source is predicted within 1 %.
    CHECK_EQ(fits[0].calibration.holdouts.size(), std::size_t(5));
    for (const SourceHoldout &h : fits[0].calibration.holdouts) {
        CHECK(h.refitted);
        for (std::size_t k : h.points) {
            const ValidationRow &row = rows[fits[0].rows[k]];
            const double predicted = fits[0].calibration.predictedHoldoutS[k];
            const std::string what = h.source + " " + std::to_string(predicted / row.point.measuredTimeS);
            if (h.source == "tiny-bench") {
                HardwareConfig presetFloor = truthHw;
                presetFloor.kernelLatencyFloorS = base.hardware.kernelLatencyFloorS;
                const double withPresetFloor =
                    kernelTimeS(measuredPointParameters(row.point, base.model, presetFloor, true), row.point.scheme);
                CHECK(withPresetFloor < 0.95 * row.point.measuredTimeS);
                CHECK_MSG(predicted >= 0.99 * withPresetFloor && predicted <= 1.01 * row.point.measuredTimeS, what);
            } else {
                CHECK_MSG(within(predicted, row.point.measuredTimeS, 0.01), what);
            }
        }
    }
    const FitSummary s = summarizeFits(rows, fits);
    CHECK_EQ(s.mapeBeforePct, fits[0].calibration.mapeStartPct);
    CHECK_EQ(s.mapeAfterPct, fits[0].calibration.mapeFittedPct);

    // The calibrated preset parses back to the base preset with the fitted numbers, and says which
    // points it was fitted to.
    const HardwarePreset basePreset = loadHardwarePresetFile(testutil::presetPath("hardware", "h100-sxm"));
    const nlohmann::json saved = calibratedHardwarePresetJson(basePreset, fits[0], rows);
    const HardwarePreset back = parseHardwarePreset(saved.dump(), "calibrated.json");
    HardwareConfig expected = basePreset.config;
    setKernelEfficiencies(expected, fit.fitted);
    CHECK_EQ(back.config.id, std::string("h100-sxm-calibrated"));
    CHECK_EQ(back.config.mmaTileRows, expected.mmaTileRows);
    CHECK_EQ(back.config.peakFlopsBf16, expected.peakFlopsBf16);
    CHECK_EQ(back.config.dramBandwidthBytesPerS, expected.dramBandwidthBytesPerS);
    CHECK_EQ(back.config.computeDerate, expected.computeDerate);
    CHECK_EQ(back.config.bandwidthDerate, expected.bandwidthDerate);
    CHECK_EQ(back.config.energyPerDramByteJ, expected.energyPerDramByteJ);
    CHECK(within(back.config.attentionComputeDerate, fit.fitted.computeDerate, 1e-12));
    CHECK(within(back.config.attentionBandwidthDerate, fit.fitted.bandwidthDerate, 1e-12));
    CHECK(within(back.config.kernelLatencyFloorS, fit.fitted.latencyFloorS, 1e-12));
    CHECK_EQ(back.quantities.size(), basePreset.quantities.size());
    for (const SourcedQuantity &q : back.quantities)
        if (q.field.rfind("derate.attention", 0) == 0 || q.field == "derate.latency_floor")
            CHECK_MSG(q.source.find("synthetic.csv:2-9") != std::string::npos, q.source);
}

CHECK_MAIN()
