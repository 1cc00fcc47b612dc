// SPDX-License-Identifier: MIT
// Calibration (docs/validation.md): the least-squares fit recovers known efficiencies from
// synthetic points, keeps what no point constrains, and the leave-one-source-out check.
#include "mlastudio/core/calibrate.h"
#include "mlastudio/core/measured.h"
#include "mlastudio/core/validation.h"

#include "testutil.h"

#include <QtTest>

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

class TestCalibrate : public QObject
{
    Q_OBJECT

private slots:
    void statistics();
    void recoversKnownEfficiencies_data();
    void recoversKnownEfficiencies();
    void recoversWithAnAdditiveFloor();
    void keepsWhatNoPointConstrains();
    void neverWorseThanTheStart();
    void leaveOneSourceOut();
    void recoversEfficienciesOfTheModel();
};

void TestCalibrate::statistics()
{
    // |110-100|/100 = 10 %, |40-50|/50 = 20 %, |300-300| = 0: mean 10 %.
    QCOMPARE(meanAbsolutePercentageError({110.0, 40.0, 300.0}, {100.0, 50.0, 300.0}), 10.0);
    QCOMPARE(meanAbsolutePercentageError({}, {}), 0.0);
    QCOMPARE(median({3.0, 1.0, 2.0}), 2.0);
    QCOMPARE(median({4.0, 1.0, 3.0, 2.0}), 2.5);
    QCOMPARE(median({}), 0.0);
    // ln 2 squared for a prediction twice the measurement, twice.
    const KernelTimePredictor twice = [](std::size_t i, const KernelEfficiencies &) { return 2.0 * double(i + 1); };
    QVERIFY(within(logSquaredError({1.0, 2.0}, twice, {}), 2.0 * std::log(2.0) * std::log(2.0), 1e-12));
}

void TestCalibrate::recoversKnownEfficiencies_data()
{
    QTest::addColumn<double>("compute");
    QTest::addColumn<double>("bandwidth");
    QTest::addColumn<double>("floorUs");
    QTest::newRow("hopper-like") << 0.72 << 0.86 << 11.0;
    QTest::newRow("low efficiencies") << 0.18 << 0.35 << 8.0;
    QTest::newRow("ideal, no floor") << 1.0 << 1.0 << 0.0;
    QTest::newRow("long floor") << 0.6 << 0.9 << 30.0;
}

void TestCalibrate::recoversKnownEfficiencies()
{
    QFETCH(double, compute);
    QFETCH(double, bandwidth);
    QFETCH(double, floorUs);
    const KernelEfficiencies truth{compute, bandwidth, floorUs * 1e-6};
    const std::vector<double> measured = synthesize(kKernels, truth);
    // Start from the generic derates (0.55 / 0.91) and a floor that is wrong.
    const KernelEfficiencies start{0.55, 0.91, 2e-6};
    const EfficiencyFit fit = fitKernelEfficiencies(measured, predictorOf(kKernels), start);
    QVERIFY2(within(fit.fitted.computeDerate, compute, 0.02), qPrintable(QString::number(fit.fitted.computeDerate)));
    QVERIFY2(within(fit.fitted.bandwidthDerate, bandwidth, 0.02), qPrintable(QString::number(fit.fitted.bandwidthDerate)));
    if (floorUs > 0.0)
        QVERIFY2(within(fit.fitted.latencyFloorS, truth.latencyFloorS, 0.02), qPrintable(QString::number(fit.fitted.latencyFloorS)));
    else  // no floor: any floor below the shortest kernel (2 µs) fits exactly
        QVERIFY2(fit.fitted.latencyFloorS <= 2e-6 * 1.0001, qPrintable(QString::number(fit.fitted.latencyFloorS)));
    QVERIFY(fit.costStart > 0.01);
    // Exact data: only the weak pull towards the start is left (RMS log residual well under 1 %).
    QVERIFY2(fit.costFitted < 1e-4, qPrintable(QString::number(fit.costFitted)));
    QVERIFY(fit.computeIdentified && fit.bandwidthIdentified);
    QVERIFY(fit.fitted.computeDerate >= kMinFittedDerate && fit.fitted.computeDerate <= kMaxFittedDerate);
    QVERIFY(fit.evaluations > 0);
}

void TestCalibrate::recoversWithAnAdditiveFloor()
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
    QVERIFY2(within(fit.fitted.computeDerate, 0.8, 0.02), qPrintable(QString::number(fit.fitted.computeDerate)));
    QVERIFY2(within(fit.fitted.bandwidthDerate, 0.7, 0.02), qPrintable(QString::number(fit.fitted.bandwidthDerate)));
    QVERIFY2(within(fit.fitted.latencyFloorS, 6e-6, 0.02), qPrintable(QString::number(fit.fitted.latencyFloorS)));
}

void TestCalibrate::keepsWhatNoPointConstrains()
{
    // Only DRAM-bound kernels far above any floor: the compute derate and the floor are free (the
    // fit keeps the start values; a floor of 5 µs stays below every kernel).
    const std::vector<Kernel> dram = {{1e-6, 200e-6}, {2e-6, 500e-6}, {0.5e-6, 90e-6}};
    const KernelEfficiencies truth{0.9, 0.8, 0.0};
    const KernelEfficiencies start{0.55, 0.91, 5e-6};
    const EfficiencyFit fit = fitKernelEfficiencies(synthesize(dram, truth), predictorOf(dram), start);
    QVERIFY(within(fit.fitted.bandwidthDerate, 0.8, 0.02));
    QVERIFY(fit.bandwidthIdentified);
    QVERIFY(!fit.computeIdentified);
    QCOMPARE(fit.fitted.computeDerate, 0.55);
    QVERIFY(!fit.floorIdentified);
    QCOMPARE(fit.fitted.latencyFloorS, 5e-6);
}

void TestCalibrate::neverWorseThanTheStart()
{
    // Measurements the model cannot reach (faster than the ideal roofline at η = 1): the fit
    // goes to the bound and is no worse than where it started.
    const std::vector<Kernel> k = {{100e-6, 10e-6}, {80e-6, 5e-6}};
    const std::vector<double> measured = {50e-6, 40e-6};
    const KernelEfficiencies start{0.5, 0.5, 0.0};
    const EfficiencyFit fit = fitKernelEfficiencies(measured, predictorOf(k), start);
    QVERIFY(fit.costFitted <= fit.costStart);
    QVERIFY(within(fit.fitted.computeDerate, 1.0, 1e-6));
    QCOMPARE(fitKernelEfficiencies({}, predictorOf(k), start).fitted, start);
}

void TestCalibrate::leaveOneSourceOut()
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
    HardwareCalibration c = calibrate(measured, sources, predictorOf(kernels), start);
    QCOMPARE(c.holdouts.size(), std::size_t(3));
    QCOMPARE(c.holdouts[0].source, std::string("a"));
    QCOMPARE(c.holdouts[0].points.size(), kKernels.size());
    for (const SourceHoldout &h : c.holdouts) {
        QVERIFY(h.refitted);
        QVERIFY(within(h.fitted.computeDerate, 0.7, 0.02));
    }
    QVERIFY(c.mapeStartPct > 5.0);
    QVERIFY2(c.mapeFittedPct < 0.5, qPrintable(QString::number(c.mapeFittedPct)));
    QVERIFY2(c.mapeHoldoutPct < 0.5, qPrintable(QString::number(c.mapeHoldoutPct)));
    QCOMPARE(c.predictedStartS.size(), measured.size());
    QCOMPARE(c.predictedStartS[0], roofline(kernels[0], start));

    // Source "c" reports every kernel 1.5x slower: in-sample the fit compromises; held out, the
    // other two sources predict c's points from the true efficiencies, 1/1.5 of what c reports.
    for (std::size_t i = 0; i < measured.size(); ++i)
        if (sources[i] == "c")
            measured[i] *= 1.5;
    c = calibrate(measured, sources, predictorOf(kernels), start);
    std::vector<double> heldC, measC;
    for (std::size_t i : c.holdouts[2].points) {
        heldC.push_back(c.predictedHoldoutS[i]);
        measC.push_back(measured[i]);
    }
    QVERIFY2(within(meanAbsolutePercentageError(heldC, measC), 100.0 / 3.0, 0.02),
             qPrintable(QString::number(meanAbsolutePercentageError(heldC, measC))));
    QVERIFY(c.mapeHoldoutPct > c.mapeFittedPct);

    // One source only: nothing is left to refit, the start values predict it.
    const HardwareCalibration one = calibrate({10e-6}, {"x"}, predictorOf(kKernels), start);
    QCOMPARE(one.holdouts.size(), std::size_t(1));
    QVERIFY(!one.holdouts[0].refitted);
    QCOMPARE(one.predictedHoldoutS[0], one.predictedStartS[0]);
}

void TestCalibrate::recoversEfficienciesOfTheModel()
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
    QVERIFY(rows[0].point.measuredTimeS > 1e-3);
    // The tiny kernel is mostly launch time: t_0 plus a roofline time of about 3 µs.
    QVERIFY(rows[5].point.measuredTimeS > truth.latencyFloorS && rows[5].point.measuredTimeS < 1.3 * truth.latencyFloorS);

    const std::vector<HardwareFit> fits = calibrateRows(rows, kernelTimeS);
    QCOMPARE(fits.size(), std::size_t(1));
    const EfficiencyFit &fit = fits[0].calibration.fit;
    QCOMPARE(fit.start, kernelEfficienciesOf(base.hardware));
    QVERIFY2(within(fit.fitted.computeDerate, truth.computeDerate, 0.02), qPrintable(QString::number(fit.fitted.computeDerate)));
    QVERIFY2(within(fit.fitted.bandwidthDerate, truth.bandwidthDerate, 0.02), qPrintable(QString::number(fit.fitted.bandwidthDerate)));
    QVERIFY2(within(fit.fitted.latencyFloorS, truth.latencyFloorS, 0.02), qPrintable(QString::number(fit.fitted.latencyFloorS)));
    QVERIFY(fit.computeIdentified && fit.bandwidthIdentified && fit.floorIdentified);
    QVERIFY(fits[0].calibration.mapeStartPct > 5.0);
    QVERIFY2(fits[0].calibration.mapeFittedPct < 1.0, qPrintable(QString::number(fits[0].calibration.mapeFittedPct)));
    // Leave-one-source-out: held out, each source's points are predicted from the others. Only the
    // tiny kernels are launch-dominated; without them the floor is seen only as a small addition to
    // long kernels, so their held-out prediction lies between the preset's floor (12 µs, not 14) and
    // the truth. Every other source is predicted within 1 %.
    QCOMPARE(fits[0].calibration.holdouts.size(), std::size_t(5));
    for (const SourceHoldout &h : fits[0].calibration.holdouts) {
        QVERIFY(h.refitted);
        for (std::size_t k : h.points) {
            const ValidationRow &row = rows[fits[0].rows[k]];
            const double predicted = fits[0].calibration.predictedHoldoutS[k];
            const QByteArray what = QByteArray::fromStdString(h.source) + ' ' + QByteArray::number(predicted / row.point.measuredTimeS);
            if (h.source == "tiny-bench") {
                HardwareConfig presetFloor = truthHw;
                presetFloor.kernelLatencyFloorS = base.hardware.kernelLatencyFloorS;
                const double withPresetFloor =
                    kernelTimeS(measuredPointParameters(row.point, base.model, presetFloor, true), row.point.scheme);
                QVERIFY(withPresetFloor < 0.95 * row.point.measuredTimeS);
                QVERIFY2(predicted >= 0.99 * withPresetFloor && predicted <= 1.01 * row.point.measuredTimeS, what.constData());
            } else {
                QVERIFY2(within(predicted, row.point.measuredTimeS, 0.01), what.constData());
            }
        }
    }
    const FitSummary s = summarizeFits(rows, fits);
    QCOMPARE(s.mapeBeforePct, fits[0].calibration.mapeStartPct);
    QCOMPARE(s.mapeAfterPct, fits[0].calibration.mapeFittedPct);

    // The calibrated preset parses back to the base preset with the fitted numbers, and says which
    // points it was fitted to.
    const HardwarePreset basePreset = loadHardwarePresetFile(testutil::presetPath("hardware", "h100-sxm"));
    const nlohmann::json saved = calibratedHardwarePresetJson(basePreset, fits[0], rows);
    const HardwarePreset back = parseHardwarePreset(saved.dump(), "calibrated.json");
    HardwareConfig expected = basePreset.config;
    setKernelEfficiencies(expected, fit.fitted);
    QCOMPARE(back.config.id, std::string("h100-sxm-calibrated"));
    QCOMPARE(back.config.mmaTileRows, expected.mmaTileRows);
    QCOMPARE(back.config.peakFlopsBf16, expected.peakFlopsBf16);
    QCOMPARE(back.config.dramBandwidthBytesPerS, expected.dramBandwidthBytesPerS);
    QCOMPARE(back.config.computeDerate, expected.computeDerate);
    QCOMPARE(back.config.bandwidthDerate, expected.bandwidthDerate);
    QCOMPARE(back.config.energyPerDramByteJ, expected.energyPerDramByteJ);
    QVERIFY(within(back.config.attentionComputeDerate, fit.fitted.computeDerate, 1e-12));
    QVERIFY(within(back.config.attentionBandwidthDerate, fit.fitted.bandwidthDerate, 1e-12));
    QVERIFY(within(back.config.kernelLatencyFloorS, fit.fitted.latencyFloorS, 1e-12));
    QCOMPARE(back.quantities.size(), basePreset.quantities.size());
    for (const SourcedQuantity &q : back.quantities)
        if (q.field.rfind("derate.attention", 0) == 0 || q.field == "derate.latency_floor")
            QVERIFY2(q.source.find("synthetic.csv:2-9") != std::string::npos, q.source.c_str());
}

QTEST_GUILESS_MAIN(TestCalibrate)
#include "tst_calibrate.moc"
