// SPDX-License-Identifier: MIT
// Properties the model must have for any input: monotonicity, limits, finiteness, clear errors.
#include "testutil.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/fields.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace mlastudio::core;

namespace {

struct Workloads {
    Phase phase;
    int batch;
    long long kvLength;
    int queryLength;
};

const Workloads kWorkloads[] = {
    {Phase::Decode, 1, 4096, 1},   {Phase::Decode, 64, 32768, 1}, {Phase::Decode, 8, 1024, 4},
    {Phase::Prefill, 1, 2048, 1},  {Phase::Decode, 512, 128, 1},  {Phase::Prefill, 4, 16384, 1},
};

std::vector<Parameters> scenarios()
{
    std::vector<Parameters> out;
    for (const char *hw : {"h100-sxm", "edge-template", "cloud-template", "mi300x"})
        for (const Workloads &w : kWorkloads)
            for (int bits : {16, 8, 4}) {
                Parameters p = testutil::params("deepseek-v3", hw);
                p.workload = {w.phase, w.batch, w.kvLength, w.queryLength};
                p.precision = {bits, bits, bits};
                out.push_back(p);
                // The realistic model (efficiencies, tiles, latency floor), for the step and the kernel.
                p.applyDerates = true;
                out.push_back(p);
                p.scope = Scope::Kernel;
                out.push_back(p);
            }
    return out;
}

bool le(double a, double b)
{
    return a <= b * (1 + 1e-12) + 1e-300;
}

} // namespace

class TestProperties : public QObject
{
    Q_OBJECT

private slots:
    void moreOnChipMemoryNeverHurts();
    void moreBandwidthNeverSlows();
    void moreComputeNeverSlows();
    void infiniteBandwidthMakesEveryOperatorComputeBound();
    void sliderCornersAreFinite();
    void badInputsGiveClearErrors_data();
    void badInputsGiveClearErrors();
    void mlaSchemeOnModelWithoutLatent();
    void autoPicksFastestMlaScheme();
    void derateOnlyWhenAsked();
};

void TestProperties::moreOnChipMemoryNeverHurts()
{
    const double capacities[] = {0, 1024, 65536, 1 << 20, 8 << 20, 32 << 20, 128 << 20, 1 << 30, 64.0 * (1 << 30)};
    for (const Parameters &base : scenarios())
        for (Scheme s : kAllSchemes) {
            StepResult prev;
            bool first = true;
            for (double c : capacities) {
                Parameters p = base;
                p.hardware.sramCapacityBytes = c;
                const StepResult r = evaluate(p, s);
                if (!first) {
                    const QString where = QStringLiteral("%1 C=%2 B=%3 L=%4")
                                              .arg(QString::fromLatin1(schemeId(s).data()))
                                              .arg(c)
                                              .arg(p.workload.batch)
                                              .arg(p.workload.kvLength);
                    QVERIFY2(le(r.timeS, prev.timeS), qPrintable(where + QStringLiteral(" time")));
                    QVERIFY2(le(r.energyJ, prev.energyJ), qPrintable(where + QStringLiteral(" energy")));
                    QVERIFY2(le(r.dramBytes, prev.dramBytes), qPrintable(where + QStringLiteral(" dram")));
                }
                prev = r;
                first = false;
            }
        }
}

void TestProperties::moreBandwidthNeverSlows()
{
    for (const Parameters &base : scenarios())
        for (Scheme s : kAllSchemes) {
            double prev = std::numeric_limits<double>::infinity();
            for (double bw : {1e9, 1e10, 2e11, 3.35e12, 8e12, 2e13}) {
                Parameters p = base;
                p.hardware.dramBandwidthBytesPerS = bw;
                const double t = evaluate(p, s).timeS;
                QVERIFY(le(t, prev));
                prev = t;
            }
        }
}

void TestProperties::moreComputeNeverSlows()
{
    for (const Parameters &base : scenarios())
        for (Scheme s : kAllSchemes) {
            double prev = std::numeric_limits<double>::infinity();
            for (double flops : {1e11, 1e13, 1e14, 1e15, 1e16}) {
                Parameters p = base;
                setFieldValue(p, Field::PeakCompute, flops);
                const double t = evaluate(p, s).timeS;
                QVERIFY(le(t, prev));
                prev = t;
            }
        }
}

void TestProperties::infiniteBandwidthMakesEveryOperatorComputeBound()
{
    // "Infinite" = the largest bandwidths validate() accepts, 1e18 and 1e19 B/s.
    for (Parameters p : scenarios()) {
        p.hardware.dramBandwidthBytesPerS = 1e18;
        p.hardware.sramBandwidthBytesPerS = 1e19;
        p.hardware.kernelLatencyFloorS = 0.0;  // the floor is no roof of bandwidth or compute
        for (Scheme s : kAllSchemes) {
            const StepResult r = evaluate(p, s);
            for (const OperatorResult &o : r.operators)
                if (o.cost.flops > 0)
                    QCOMPARE(int(o.bound), int(Bound::Compute));
            QCOMPARE(int(r.bound), int(Bound::Compute));
        }
    }
}

void TestProperties::sliderCornersAreFinite()
{
    // Every corner of the slider ranges (fields.h), for every scheme and phase.
    const Field corners[] = {Field::DramBandwidth, Field::PeakCompute, Field::SramCapacity, Field::Batch, Field::KvLength};
    const int n = int(std::size(corners));
    for (int mask = 0; mask < (1 << n); ++mask)
        for (Phase phase : {Phase::Decode, Phase::Prefill})
            for (int bits : {4, 16}) {
                Parameters p = testutil::params();
                p.workload.phase = phase;
                p.precision = {bits, bits, bits};
                for (int i = 0; i < n; ++i) {
                    const FieldInfo &f = fieldInfo(corners[i]);
                    setFieldValue(p, f.field, ((mask >> i) & 1 ? f.max : f.min) * f.displayScale);
                }
                QVERIFY(validate(p).empty());
                for (Scheme s : kAllSchemes) {
                    const StepResult r = evaluate(p, s);
                    for (double v : {r.timeS, r.energyJ, r.flops, r.dramBytes, r.sramBytes, r.tokensPerS,
                                     r.energyPerTokenJ, r.intensityFlopPerByte})
                        QVERIFY(std::isfinite(v) && v >= 0);
                    QVERIFY(r.timeS > 0);
                }
            }
}

void TestProperties::badInputsGiveClearErrors_data()
{
    QTest::addColumn<int>("field");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("named");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("zero bandwidth") << int(Field::DramBandwidth) << 0.0 << "dram.bandwidth";
    QTest::newRow("negative bandwidth") << int(Field::DramBandwidth) << -5.0 << "dram.bandwidth";
    QTest::newRow("NaN compute") << int(Field::PeakCompute) << nan << "compute.bf16";
    QTest::newRow("infinite on-chip bandwidth") << int(Field::SramBandwidth) << std::numeric_limits<double>::infinity()
                                                << "sram.bandwidth";
    // Finite but absurd values would overflow the results to inf: they are out of range instead.
    QTest::newRow("tiny compute") << int(Field::PeakCompute) << 1e-300 << "compute.bf16";
    QTest::newRow("huge MAC energy") << int(Field::EnergyMac16) << 1e300 << "energy.mac_bf16";
    QTest::newRow("negative on-chip memory") << int(Field::SramCapacity) << -1.0 << "sram.capacity";
    QTest::newRow("heads do not divide") << int(Field::KvHeads) << 7.0 << "num_kv_heads";
    QTest::newRow("zero batch") << int(Field::Batch) << 0.0 << "batch";
    QTest::newRow("NaN batch") << int(Field::Batch) << nan << "batch";
    QTest::newRow("query longer than cache") << int(Field::QueryLength) << 5000.0 << "query_len";
    QTest::newRow("6-bit weights") << int(Field::WeightBits) << 6.0 << "weight_bits";
    QTest::newRow("derate above 1") << int(Field::ComputeDerate) << 1.5 << "derate.compute";
    QTest::newRow("zero layers") << int(Field::Layers) << 0.0 << "num_layers";
}

void TestProperties::badInputsGiveClearErrors()
{
    QFETCH(int, field);
    QFETCH(double, value);
    QFETCH(QString, named);
    Parameters p = testutil::params();
    setFieldValue(p, Field(field), value);
    const auto issues = validate(p);
    QVERIFY(!issues.empty());
    QCOMPARE(QString::fromStdString(issues.front().field), named);  // the edited field comes first
    QVERIFY(!issues.front().message.empty());
    try {
        evaluate(p, Scheme::MlaReuse);
        QFAIL("evaluate accepted invalid input");
    } catch (const ModelError &e) {
        QVERIFY(QString::fromLatin1(e.what()).contains(named));
    }
}

void TestProperties::mlaSchemeOnModelWithoutLatent()
{
    Parameters p = testutil::params("llama-3.1-70b");
    QVERIFY(validate(p).empty());
    QVERIFY(!isApplicable(p, Scheme::MlaReuse));
    QVERIFY(isApplicable(p, Scheme::Gqa));
    QVERIFY_THROWS_EXCEPTION(ModelError, evaluate(p, Scheme::MlaRecompute));
    // A latent rank turns Llama into an MLA what-if.
    p.model.kvLoraRank = 512;
    QCOMPARE(evaluate(p, Scheme::MlaReuse).kvCacheBytesPerToken, 512.0 * 80 * 2);
}

void TestProperties::autoPicksFastestMlaScheme()
{
    for (Phase phase : {Phase::Decode, Phase::Prefill}) {
        Parameters p = testutil::params();
        p.workload.phase = phase;
        const StepResult a = evaluateAuto(p);
        QVERIFY(a.autoSelected);
        QVERIFY(isMlaScheme(a.scheme));
        for (Scheme s : kMlaSchemes)
            QVERIFY(a.timeS <= evaluate(p, s).timeS);
        QVERIFY(!a.notes.empty() && a.notes.front().find("auto picked") == 0);
    }
    // Prefill: recompute needs 3.4× fewer attention FLOPs, so auto picks it.
    Parameters p = testutil::params();
    p.workload.phase = Phase::Prefill;
    p.workload.kvLength = 8192;
    QCOMPARE(int(evaluateAuto(p).scheme), int(Scheme::MlaRecompute));
}

void TestProperties::derateOnlyWhenAsked()
{
    Parameters p = testutil::params();
    QVERIFY(p.hardware.bandwidthDerate < 1.0);
    const double ideal = evaluate(p, Scheme::Mha).timeS;
    p.applyDerates = true;
    const double derated = evaluate(p, Scheme::Mha).timeS;
    // MHA decode is DRAM-bound in every kernel, so time grows by at most 1/min(η_m, η_m,att), plus
    // t_0 for each of the step's kernel launches (one per operator and layer).
    QVERIFY(derated > ideal * 1.05);
    const double etaM = std::min(p.hardware.bandwidthDerate, p.hardware.attentionBandwidthDerate);
    const double launches = double(evaluate(p, Scheme::Mha).operators.size()) * p.model.numLayers;
    QVERIFY(derated <= ideal / etaM * (1 + 1e-9) + launches * p.hardware.kernelLatencyFloorS);
    // With every efficiency 1, no floor and 1-row tiles the realistic model is the ideal one.
    for (Scheme s : kAllSchemes) {
        Parameters q = testutil::params();
        q.workload.batch = 16;
        const double idealS = evaluate(q, s).timeS;
        q.applyDerates = true;
        q.hardware.computeDerate = q.hardware.bandwidthDerate = 1.0;
        q.hardware.attentionComputeDerate = q.hardware.attentionBandwidthDerate = 1.0;
        q.hardware.kernelLatencyFloorS = 0.0;
        q.hardware.mmaTileRows = 1;
        QCOMPARE(evaluate(q, s).timeS, idealS);
    }
}

QTEST_APPLESS_MAIN(TestProperties)
#include "tst_properties.moc"
