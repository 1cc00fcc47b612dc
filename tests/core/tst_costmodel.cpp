// SPDX-License-Identifier: MIT
// Hand-derived numbers from docs/model.md and ../shared/reference/mla-cost-model.md.
#include "testutil.h"

#include "mlastudio/core/costmodel.h"
#include "mlastudio/core/evaluate.h"

#include <QtTest>

#include <cmath>

using namespace mlastudio::core;

Q_DECLARE_METATYPE(mlastudio::core::Scheme)

namespace {

const OperatorResult *findOp(const StepResult &r, OperatorKind kind)
{
    for (const OperatorResult &o : r.operators)
        if (o.cost.kind == kind)
            return &o;
    return nullptr;
}

bool close(double a, double b, double rel = 1e-9)
{
    return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b));
}

} // namespace

class TestCostModel : public QObject
{
    Q_OBJECT

private slots:
    void kvCacheElements_data();
    void kvCacheElements();
    void kvCacheBytesDeepSeekV3();
    void weightsPerLayer_data();
    void weightsPerLayer();
    void scoredPairs();
    void decodeOperatorMacs();
    void prefillAttentionMacs();
    void reuseIntensityLongContext();
    void reuseRecomputeCrossover();
    void fusedKernelReuseByHand();
    void fusedKernelComputeBoundOnH200();
    void fusedKernelMhaByHand();
    void fusedKernelRecomputeByHand();
    void tilePaddingSteps();
    void formulasAreTheCostModel();
    void roofline86Table_data();
    void roofline86Table();
    void timeIsSumOfOperators();
    void energyIsSumOfParts();
    void maxBatchDeepSeekV3OnH100();
    void precisionFallback();
    void gemmTraffic();
};

void TestCostModel::kvCacheElements_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<double>("elementsPerTokenAllLayers");
    // DeepSeek-V2 Table 1 with n_h = 128, d_h = 128, d_c = 512, d_R = 64, l = 60.
    QTest::newRow("v2 mha 2·n_h·d_h·l") << "deepseek-v2" << Scheme::Mha << 1966080.0;
    QTest::newRow("v2 mla (d_c+d_R)·l") << "deepseek-v2" << Scheme::MlaReuse << 34560.0;
    QTest::newRow("v2 gqa-8 2·n_g·d_h·l") << "deepseek-v2" << Scheme::Gqa << 2.0 * 8 * 128 * 60;
    QTest::newRow("v2 mqa 2·d_h·l") << "deepseek-v2" << Scheme::Mqa << 2.0 * 128 * 60;
    QTest::newRow("v3 mha") << "deepseek-v3" << Scheme::Mha << 1998848.0;
    QTest::newRow("v3 mla-recompute") << "deepseek-v3" << Scheme::MlaRecompute << 35136.0;
    QTest::newRow("v3 mla-naive n_h·(d_h+d_R+d_v)·l") << "deepseek-v3" << Scheme::MlaNaive << 2498560.0;
    QTest::newRow("v2-lite mla 576·27") << "deepseek-v2-lite" << Scheme::MlaReuse << 15552.0;
    QTest::newRow("deepseek-67b gqa 2·8·128·95") << "deepseek-67b" << Scheme::Gqa << 194560.0;
}

void TestCostModel::kvCacheElements()
{
    QFETCH(QString, model);
    QFETCH(Scheme, scheme);
    QFETCH(double, elementsPerTokenAllLayers);
    const Parameters p = testutil::params(model.toStdString());
    QCOMPARE(kvCacheElementsPerTokenPerLayer(p.model, scheme) * p.model.numLayers, elementsPerTokenAllLayers);
}

void TestCostModel::kvCacheBytesDeepSeekV3()
{
    // ISCA'25 Table 1: DeepSeek-V3 70.272 KB per token in BF16 = 576·61·2; not 2·d_c (1.78× too much).
    Parameters p = testutil::params();
    QCOMPARE(kvCacheBytesPerToken(p.model, Scheme::MlaReuse, p.precision), 70272.0);
    QVERIFY(kvCacheBytesPerToken(p.model, Scheme::MlaReuse, p.precision) != 2.0 * 512 * 61 * 2);
    p.precision.kvBits = 8;
    QCOMPARE(kvCacheBytesPerToken(p.model, Scheme::MlaReuse, p.precision), 35136.0);
    // Llama-3.1-70B in BF16: 2·8·128·80·2 = 327,680 B (same as the ISCA table's Qwen-2.5 72B).
    const Parameters llama = testutil::params("llama-3.1-70b");
    QCOMPARE(kvCacheBytesPerToken(llama.model, Scheme::Gqa, llama.precision), 327680.0);
    const StepResult r = evaluate(testutil::params(), Scheme::MlaReuse);
    QCOMPARE(r.kvCacheBytesPerToken, 70272.0);
    QCOMPARE(r.kvCacheBytes, 70272.0 * 4096);
}

void TestCostModel::weightsPerLayer_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<double>("elements");
    // Reference §2 table.
    QTest::newRow("v3 mla") << "deepseek-v3" << Scheme::MlaReuse << 187105280.0;
    QTest::newRow("v3 recompute reads the same weights") << "deepseek-v3" << Scheme::MlaRecompute << 187105280.0;
    QTest::newRow("v2 mla") << "deepseek-v2" << Scheme::MlaReuse << 149225472.0;
    QTest::newRow("v3 mha 4·d·n_h·d_h") << "deepseek-v3" << Scheme::Mha << 469762048.0;
    QTest::newRow("v2 mha") << "deepseek-v2" << Scheme::Mha << 335544320.0;
    // W_DQ + W_QR + W_UQ·W_UK + W_DKV/W_KR + W_UV·W_O = 11.0M + 12.6M + 100.7M + 4.1M + 469.8M.
    QTest::newRow("v3 merged") << "deepseek-v3" << Scheme::MlaReuseMerged
                               << 11010048.0 + 12582912.0 + 100663296.0 + 4128768.0 + 469762048.0;
}

void TestCostModel::weightsPerLayer()
{
    QFETCH(QString, model);
    QFETCH(Scheme, scheme);
    QFETCH(double, elements);
    const Parameters p = testutil::params(model.toStdString());
    QCOMPARE(attentionWeightElementsPerLayer(p.model, scheme), elements);
}

void TestCostModel::scoredPairs()
{
    QCOMPARE(scoredPairsPerHead(1, 4096), 4096.0);          // decode: S·L
    QCOMPARE(scoredPairsPerHead(4, 4096), 4.0 * 4096 - 6);  // MTP: the 4 new tokens are causal among themselves
    QCOMPARE(scoredPairsPerHead(1000, 1000), 500500.0);     // prefill: L(L+1)/2
}

void TestCostModel::decodeOperatorMacs()
{
    // DeepSeek-V3, decode, B = 1, L = 4096, S = 1; per layer × 61 layers; FLOPs = 2·MAC.
    const Parameters p = testutil::params();
    const double l = 61;
    const StepResult reuse = evaluate(p, Scheme::MlaReuse);
    const OperatorResult *att = findOp(reuse, OperatorKind::Attention);
    QVERIFY(att);
    QCOMPARE(int(reuse.attentionParts.size()), 3);
    QCOMPARE(int(reuse.attentionParts[0].part), int(AttentionPart::Qk));
    QCOMPARE(reuse.attentionParts[0].flops, 2.0 * 128 * 4096 * 576 * l);                            // n_h·L·(d_c+d_R)
    QCOMPARE(int(reuse.attentionParts[1].part), int(AttentionPart::Softmax));
    QCOMPARE(reuse.attentionParts[1].flops, kSoftmaxFlopsPerScore * 128 * 4096 * l);
    QCOMPARE(reuse.attentionParts[2].flops, 2.0 * 128 * 4096 * 512 * l);                            // n_h·L·d_c
    QCOMPARE(att->cost.flops, (2.0 * 128 * 4096 * 1088 + 5.0 * 128 * 4096) * l);
    QCOMPARE(att->cost.executedFlops, att->cost.flops);  // ideal model: no tile padding
    QCOMPARE(findOp(reuse, OperatorKind::QAbsorb)->cost.flops, 2.0 * 128 * 128 * 512 * l);    // n_h·d_h·d_c
    QCOMPARE(findOp(reuse, OperatorKind::OAbsorb)->cost.flops, 2.0 * 128 * 512 * 128 * l);    // n_h·d_c·d_v
    QCOMPARE(findOp(reuse, OperatorKind::KvDown)->cost.flops, 2.0 * 7168 * 576 * l);          // d·(d_c+d_R)
    // Projection FLOPs per decode token per layer: 374.2 MFLOP = 2 × 187.1M (reference §6.2).
    double projection = 0;
    for (const OperatorResult &o : reuse.operators)
        if (o.cost.kind != OperatorKind::Attention)
            projection += o.cost.flops;
    QCOMPARE(projection / l, 2.0 * 187105280);
    // The attention core per cached token per layer: 2·n_h·(2d_c+d_R) = 278,528 FLOP (plus the softmax).
    QCOMPARE((reuse.attentionParts[0].flops + reuse.attentionParts[2].flops) / (4096 * l), 278528.0);

    // Recompute fuses its up-projection into the attention kernel (its tiles fit in 33 MiB).
    const StepResult rc = evaluate(p, Scheme::MlaRecompute);
    QVERIFY(rc.onChip.recomputeFused);
    QVERIFY(!findOp(rc, OperatorKind::KvUp));
    const OperatorResult *ra = findOp(rc, OperatorKind::Attention);
    QCOMPARE(int(rc.attentionParts.size()), 4);
    QCOMPARE(ra->cost.fusedGemmFlops, 2.0 * 4096 * 16777216.0 * l);
    QCOMPARE(int(rc.attentionParts[0].part), int(AttentionPart::KvUp));
    // Up-projection of every cached token: L·d_c·n_h·(d_h+d_v) = 16,777,216 MAC per token.
    QCOMPARE(rc.attentionParts[0].flops, 2.0 * 4096 * 16777216.0 * l);
    QCOMPARE(rc.attentionParts[1].flops + rc.attentionParts[3].flops, 2.0 * 128 * 4096 * 320 * l);
    QVERIFY(!findOp(rc, OperatorKind::QAbsorb));

    const StepResult mha = evaluate(p, Scheme::Mha);
    const OperatorResult *ma = findOp(mha, OperatorKind::Attention);
    QCOMPARE(mha.attentionParts[0].flops + mha.attentionParts[2].flops, 2.0 * 128 * 4096 * 256 * l);  // 65,536 FLOP per cached token per layer
    // MHA reads 2·n_h·d_h·L elements of cache per layer, K and V in the one kernel.
    QCOMPARE(ma->cost.cacheBytes, 2.0 * 128.0 * 128 * 4096 * 2 * l);
    QCOMPARE(findOp(mha, OperatorKind::KvProj)->cost.weightBytes, 7168.0 * 128 * 256 * 2 * l);
}

void TestCostModel::prefillAttentionMacs()
{
    // Prefill L = 2048: causal pairs L(L+1)/2; per head 256 (mha), 320 (recompute), 1088 (reuse) MAC per pair.
    Parameters p = testutil::params();
    p.workload.phase = Phase::Prefill;
    p.workload.kvLength = 2048;
    const double pairs = 2048.0 * 2049 / 2, l = 61;
    auto core = [&](Scheme s) {
        const StepResult r = evaluate(p, s);
        double qkPv = 0;
        for (const PartCost &pc : r.attentionParts)
            if (pc.part == AttentionPart::Qk || pc.part == AttentionPart::Pv)
                qkPv += pc.flops;
        return qkPv;
    };
    QCOMPARE(core(Scheme::Mha), 2.0 * 128 * pairs * 256 * l);
    QCOMPARE(core(Scheme::MlaRecompute), 2.0 * 128 * pairs * 320 * l);
    QCOMPARE(core(Scheme::MlaReuse), 2.0 * 128 * pairs * 1088 * l);
    QVERIFY(close(core(Scheme::MlaReuse) / core(Scheme::MlaRecompute), 3.4));
    const StepResult r = evaluate(p, Scheme::MlaReuse);
    QCOMPARE(r.tokensPerStep, 2048.0);
}

void TestCostModel::reuseIntensityLongContext()
{
    // Reference §7.1: fused absorbed attention reads the latent once for all heads, so its intensity
    // tends to 2·n_h·(2d_c+d_R) / (b·(d_c+d_R)) = 128·1088/576 = 241.8 FLOP/B at 16 bit.
    Parameters p = testutil::params();
    p.workload.kvLength = 1 << 20;
    // On-chip capacity exactly the working set (one row of state per head: 128 · (2·512+64) · 2 B):
    // every head shares each latent tile and nothing is left to pin the cache.
    p.hardware.sramCapacityBytes = 128.0 * 1088 * 2;
    const StepResult r = evaluate(p, Scheme::MlaReuse);
    QCOMPARE(r.onChip.attentionPasses, 1.0);
    QCOMPARE(r.onChip.residentCacheFraction, 0.0);
    const OperatorResult *a = findOp(r, OperatorKind::Attention);
    const double L = 1 << 20, l = 61;
    // Bytes: latent L·576·2 plus query in (n_h·576·2) plus context out (n_h·512·2), per layer.
    QCOMPARE(a->cost.dramBytes, (576.0 * 2 * L + 128.0 * 576 * 2 + 128.0 * 512 * 2) * l);
    // QK and PV FLOPs over those bytes (the model's own intensity adds the softmax's 5/(2·1088)).
    const double qkPv = r.attentionParts[0].flops + r.attentionParts[2].flops;
    QVERIFY2(std::fabs(qkPv / a->cost.dramBytes - 241.78) < 0.1, qPrintable(QString::number(qkPv / a->cost.dramBytes)));
    QVERIFY(close(a->intensityFlopPerByte, qkPv / a->cost.dramBytes * (1.0 + 5.0 / (2.0 * 1088))));

    // Without on-chip room for all heads' state, the latent is re-read per head block.
    p.hardware.sramCapacityBytes = 128.0 * 1088 * 2 / 4;
    const StepResult starved = evaluate(p, Scheme::MlaReuse);
    QCOMPARE(starved.onChip.attentionPasses, 4.0);
    QVERIFY(findOp(starved, OperatorKind::Attention)->cost.dramBytes > 3.9 * a->cost.dramBytes);
}

void TestCostModel::reuseRecomputeCrossover()
{
    // Total FLOPs of reuse and recompute differ only by (per request, per head)
    //   reuse:     S·(d_h·d_c + d_c·d_v) + P·(2d_c + d_R)
    //   recompute: L·d_c·(d_h + d_v)     + P·(d_h + d_R + d_v),   P = S·L − S(S−1)/2,
    // so recompute needs fewer FLOPs once 768·P > 131072·(L − S). For L = 4096 the smaller root of
    // S² − (2L + 1 + 2k)·S + 2kL = 0, k = 131072/768, is S = 167.09 by hand (reference §7.4: ≈ 164
    // with S·L pairs): reuse is cheaper up to S = 167 and recompute from S = 168 on.
    Parameters p = testutil::params();
    p.workload.kvLength = 4096;
    auto flops = [&](Scheme s, int queryLength) {
        p.workload.queryLength = queryLength;
        return evaluate(p, s).flops;
    };
    int crossover = 0;
    for (int s = 1; s <= 400 && !crossover; ++s)
        if (flops(Scheme::MlaReuse, s) > flops(Scheme::MlaRecompute, s))
            crossover = s;
    QCOMPARE(crossover, 168);
    QVERIFY(flops(Scheme::MlaReuse, 1) * 50 < flops(Scheme::MlaRecompute, 1));  // decode: reuse far cheaper
}

void TestCostModel::fusedKernelReuseByHand()
{
    // DeepSeek-V3 absorbed MLA decode on an H100 SXM, B = 1, L = 4096, kernel scope (one layer, no
    // projections, cache from DRAM). FLOPs = 2·n_h·L·(576 + 512) + 5·n_h·L = 1,143,472,128; DRAM =
    // latent 4096·576·2 + q 128·576·2 + o 128·512·2 = 4,997,120 B.
    Parameters p = testutil::params();
    p.scope = Scope::Kernel;
    StepResult r = evaluate(p, Scheme::MlaReuse);
    QCOMPARE(int(r.operators.size()), 1);
    const OperatorResult &a = r.operators[0];
    QCOMPARE(a.cost.flops, 1143472128.0);
    QCOMPARE(a.cost.dramBytes, 4997120.0);
    QCOMPARE(a.cost.sramBytes, 4997120.0);  // staged once; scores and probabilities stay in registers
    QVERIFY(close(a.computeTimeS, 1143472128.0 / 989.4e12));   // 1.156 µs
    QVERIFY(close(a.dramTimeS, 4997120.0 / 3.35e12));          // 1.492 µs
    QVERIFY(close(r.timeS, 4997120.0 / 3.35e12));
    QCOMPARE(int(r.bound), int(Bound::Dram));

    // Realistic: η_c,att = 0.7, η_m,att = 0.9, t_0 = 5 µs, 64-row tiles (128 heads: two full tiles).
    p.applyDerates = true;
    p.hardware.attentionComputeDerate = 0.7;
    p.hardware.attentionBandwidthDerate = 0.9;
    p.hardware.kernelLatencyFloorS = 5e-6;
    p.hardware.mmaTileRows = 64;
    r = evaluate(p, Scheme::MlaReuse);
    QCOMPARE(r.operators[0].cost.tilePadding, 1.0);
    // t = t_0 + √(compute 1.651² + DRAM 1.657² µs²) = 5 + 2.339 µs: at the ridge the two streams
    // overlap imperfectly (√2 over the roofline); the launch still dominates.
    const double computeS = 1143472128.0 / (0.7 * 989.4e12), dramS = 4997120.0 / (0.9 * 3.35e12);
    QVERIFY(close(r.timeS, 5e-6 + std::sqrt(computeS * computeS + dramS * dramS)));
    QVERIFY(std::abs(r.timeS - 7.339e-6) < 0.001e-6);
    QCOMPARE(int(r.bound), int(Bound::Latency));
    p.workload.batch = 64;
    r = evaluate(p, Scheme::MlaReuse);
    QVERIFY(close(r.operators[0].computeTimeS, 64 * 1143472128.0 / (0.7 * 989.4e12)));  // 105.7 µs
    QVERIFY(close(r.timeS, 5e-6 + 64 * std::sqrt(computeS * computeS + dramS * dramS))); // 5 + 149.7 µs
    QCOMPARE(int(r.bound), int(Bound::Dram));
}

void TestCostModel::fusedKernelComputeBoundOnH200()
{
    // The example: DeepSeek-V3 decode on H200, B = 256, L = 4096, absorbed MLA. As one kernel,
    // compute 256·1,143,472,128 / 989.4 T = 295.9 µs exceeds DRAM 256·4,997,120 / 4.8 T = 266.5 µs.
    Parameters p = testutil::params("deepseek-v3", "h200");
    p.workload.batch = 256;
    p.scope = Scope::Kernel;
    const StepResult r = evaluate(p, Scheme::MlaReuse);
    QVERIFY(close(r.timeS, 256 * 1143472128.0 / 989.4e12));
    QCOMPARE(int(r.bound), int(Bound::Compute));
    // In the step scope the same kernel is one operator, 61 times.
    p.scope = Scope::Step;
    const StepResult step = evaluate(p, Scheme::MlaReuse);
    QCOMPARE(int(findOp(step, OperatorKind::Attention)->bound), int(Bound::Compute));
}

void TestCostModel::fusedKernelMhaByHand()
{
    // MHA with DeepSeek-V3 dimensions, B = 1, L = 4096, kernel scope: FLOPs 2·128·4096·256 + 5·128·4096 =
    // 271,056,896; DRAM K+V 4096·128·256·2 + q 128·128·2 + o 128·128·2 = 268,500,992 B → 80.15 µs at 3.35 TB/s.
    Parameters p = testutil::params();
    p.scope = Scope::Kernel;
    const StepResult r = evaluate(p, Scheme::Mha);
    QCOMPARE(r.operators[0].cost.flops, 271056896.0);
    QCOMPARE(r.operators[0].cost.dramBytes, 268500992.0);
    QVERIFY(close(r.timeS, 268500992.0 / 3.35e12));
    // Realistic on a GPU with 64-row WGMMA tiles: a decode kernel over per-head K/V pads its one query
    // row per KV head to the 16 rows of an mma.sync tile (kPerHeadKvTileRows), not to 64, so it executes
    // 16× the QK/PV FLOPs (4.29 GFLOP + softmax) and stays DRAM-bound on an H100.
    p.applyDerates = true;
    p.hardware.mmaTileRows = 64;
    const StepResult real = evaluate(p, Scheme::Mha);
    QCOMPARE(real.operators[0].cost.tilePadding, 16.0);
    QCOMPARE(real.operators[0].cost.executedFlops, 16.0 * 268435456 + 2621440);
    QCOMPARE(int(real.bound), int(Bound::Dram));
    // A preset tile below 16 caps it: 8-row tiles pad to 8.
    p.hardware.mmaTileRows = 8;
    QCOMPARE(evaluate(p, Scheme::Mha).operators[0].cost.tilePadding, 8.0);
    // The absorbed MLA kernel runs the preset's tile: 16 heads · 1 query row pad to 64 (FlashMLA), 4×.
    p.hardware.mmaTileRows = 64;
    p.model.numHeads = 16;
    QCOMPARE(evaluate(p, Scheme::MlaReuse).operators[0].cost.tilePadding, 4.0);
    QCOMPARE(evaluate(p, Scheme::Mha).operators[0].cost.tilePadding, 16.0);
    // The rule as the explain view reads it.
    QCOMPARE(kernelTileRows(Scheme::Mha, 64), 16);
    QCOMPARE(kernelTileRows(Scheme::Gqa, 8), 8);
    QCOMPARE(kernelTileRows(Scheme::MlaRecompute, 64), 16);
    QCOMPARE(kernelTileRows(Scheme::MlaNaive, 1), 1);
    QCOMPARE(kernelTileRows(Scheme::MlaReuse, 64), 64);
    QCOMPARE(kernelTileRows(Scheme::MlaReuseMerged, 128), 128);
}

void TestCostModel::fusedKernelRecomputeByHand()
{
    // Fused recompute, B = 1, L = 4096, kernel scope: kv_up 2·4096·512·128·256 = 137,438,953,472 FLOP,
    // QK + PV 2·128·4096·320 = 335,544,320, softmax 2,621,440. DRAM: latent 4096·512·2 + k_R 4096·64·2 +
    // W_UK/W_UV 512·32768·2 + q 128·192·2 + o 128·128·2 = 38,354,944 B. Compute-bound: 139.25 µs.
    Parameters p = testutil::params();
    p.scope = Scope::Kernel;
    const StepResult r = evaluate(p, Scheme::MlaRecompute);
    QCOMPARE(int(r.operators.size()), 1);
    QCOMPARE(r.operators[0].cost.flops, 137438953472.0 + 335544320.0 + 2621440.0);
    QCOMPARE(r.operators[0].cost.dramBytes, 38354944.0);
    QVERIFY(close(r.timeS, (137438953472.0 + 335544320.0 + 2621440.0) / 989.4e12));
    QCOMPARE(int(r.bound), int(Bound::Compute));
    // Too little on-chip memory for one token's K/V of all heads: kv_up becomes a kernel of its own
    // that writes K/V (4096·128·256·2 B) to DRAM, and the attention kernel reads them back.
    p.hardware.sramCapacityBytes = 100e3;
    const StepResult spilled = evaluate(p, Scheme::MlaRecompute);
    QCOMPARE(int(spilled.operators.size()), 2);
    QVERIFY(findOp(spilled, OperatorKind::KvUp));
    QVERIFY(findOp(spilled, OperatorKind::Attention)->cost.dramBytes >= 4096.0 * 128 * 256 * 2);
}

void TestCostModel::tilePaddingSteps()
{
    // FlashMLA-like: absorbed MLA decode, compute-bound (huge bandwidth), 64-row tiles. With S = 1 the
    // query rows are the heads: 16, 32, 64 take the same time, 80 and 128 twice as long (softmax aside).
    Parameters p = testutil::params("deepseek-v3", "h100-sxm");
    p.scope = Scope::Kernel;
    p.applyDerates = true;
    p.hardware.attentionComputeDerate = p.hardware.attentionBandwidthDerate = 1.0;
    p.hardware.kernelLatencyFloorS = 0.0;
    p.hardware.mmaTileRows = 64;
    p.hardware.dramBandwidthBytesPerS = 1e18;
    p.hardware.sramBandwidthBytesPerS = 1e19;
    p.workload.batch = 64;
    auto timeAt = [&](int heads) {
        p.model.numHeads = heads;
        const StepResult r = evaluate(p, Scheme::MlaReuse);
        // The QK/PV part only: the softmax is not padded.
        return (r.operators[0].cost.executedFlops - r.attentionParts[1].flops) / 989.4e12;
    };
    const double t16 = timeAt(16), t32 = timeAt(32), t64 = timeAt(64), t80 = timeAt(80), t128 = timeAt(128);
    QVERIFY(close(t16, t64));
    QVERIFY(close(t32, t64));
    QVERIFY(close(t80, 2.0 * t64));
    QVERIFY(close(t128, 2.0 * t64));
    // The kernel time itself is flat up to the tile and steps after it.
    p.model.numHeads = 16;
    const double k16 = evaluate(p, Scheme::MlaReuse).timeS;
    p.model.numHeads = 64;
    const double k64 = evaluate(p, Scheme::MlaReuse).timeS;
    p.model.numHeads = 80;
    const double k80 = evaluate(p, Scheme::MlaReuse).timeS;
    QVERIFY(std::fabs(k16 / k64 - 1.0) < 0.01);
    QVERIFY(k80 / k64 > 1.95);
    // The ideal model counts useful FLOPs only: 16 heads cost a quarter of 64.
    p.applyDerates = false;
    p.model.numHeads = 16;
    const double i16 = evaluate(p, Scheme::MlaReuse).timeS;
    p.model.numHeads = 64;
    QVERIFY(std::fabs(i16 / evaluate(p, Scheme::MlaReuse).timeS - 0.25) < 0.01);
}

void TestCostModel::formulasAreTheCostModel()
{
    // The formulas the explain view prints are the ones the cost model multiplies out.
    for (int phase = 0; phase < 2; ++phase) {
        Parameters p = testutil::params();
        if (phase == 1) {
            p.workload.phase = Phase::Prefill;
            p.workload.kvLength = 2048;
        }
        const double l = p.model.numLayers;
        for (Scheme s : kAllSchemes) {
            const StepResult r = evaluate(p, s);
            for (const OperatorResult &o : r.operators) {
                if (o.cost.kind == OperatorKind::Attention) {
                    for (const PartCost &pc : r.attentionParts) {
                        const double v = attentionPartFormula(p, s, pc.part).value() * l;
                        QVERIFY(close(pc.part == AttentionPart::Softmax ? pc.flops : pc.macs, v));
                    }
                } else {
                    const Formula f = operatorFormula(p, s, o.cost.kind);
                    QVERIFY(close(o.cost.macs, f.count ? f.value() * l : 0.0) || (o.cost.macs == 0 && !f.count));
                }
            }
            QCOMPARE(kvCacheFormula(p.model, s, p.precision).value(), r.kvCacheBytesPerToken);
        }
    }
    const Parameters p = testutil::params();
    const Formula qk = attentionPartFormula(p, Scheme::MlaReuse, AttentionPart::Qk);
    QCOMPARE(QString::fromStdString(qk.symbolic()), QStringLiteral("B·n_h·P·(d_c+d_R)"));
    QCOMPARE(QString::fromStdString(qk.substituted()), QStringLiteral("1·128·4096·576"));
    QCOMPARE(QString::fromStdString(kvCacheFormula(p.model, Scheme::MlaReuse, p.precision).symbolic()),
             QStringLiteral("(d_c+d_R)·l·b_kv"));
}

void TestCostModel::roofline86Table_data()
{
    // Reference §7.6: FLAT cloud template (123.2 TOP/s, 400 GB/s), 8-bit, V3, decode, µs per layer. The
    // reference takes one roofline over the whole layer, max(ΣFLOPs/P, Σbytes/BW); it ignores activations
    // and the softmax, which the 1% tolerance covers. MLA Studio sums per-operator rooflines, which is
    // never less (a compute-bound operator cannot hide under a memory-bound one).
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("kvLength");
    QTest::addColumn<double>("microsecondsPerLayer");
    QTest::newRow("mha B1 L1024") << Scheme::Mha << 1 << 1024 << 1259.0;
    QTest::newRow("reuse B1 L1024") << Scheme::MlaReuse << 1 << 1024 << 470.0;
    QTest::newRow("merged B1 L1024") << Scheme::MlaReuseMerged << 1 << 1024 << 1497.0;
    QTest::newRow("recompute B1 L1024") << Scheme::MlaRecompute << 1 << 1024 << 469.0;
    QTest::newRow("mha B1 L4096") << Scheme::Mha << 1 << 4096 << 1510.0;
    QTest::newRow("reuse B1 L4096") << Scheme::MlaReuse << 1 << 4096 << 474.0;
    QTest::newRow("recompute B1 L4096") << Scheme::MlaRecompute << 1 << 4096 << 1121.0;
    QTest::newRow("reuse B1 L16384") << Scheme::MlaReuse << 1 << 16384 << 492.0;
    QTest::newRow("recompute B1 L16384") << Scheme::MlaRecompute << 1 << 16384 << 4476.0;
    QTest::newRow("mha B128 L4096") << Scheme::Mha << 128 << 4096 << 44150.0;
    QTest::newRow("reuse B128 L4096") << Scheme::MlaReuse << 128 << 4096 << 1574.0;
    QTest::newRow("merged B128 L4096") << Scheme::MlaReuseMerged << 128 << 4096 << 2428.0;
}

void TestCostModel::roofline86Table()
{
    QFETCH(Scheme, scheme);
    QFETCH(int, batch);
    QFETCH(int, kvLength);
    QFETCH(double, microsecondsPerLayer);
    Parameters p = testutil::params8("deepseek-v3", "cloud-template");
    p.hardware.sramCapacityBytes = 20 * 1048576.0;  // room for every working set, almost none for the cache
    p.workload.batch = batch;
    p.workload.kvLength = kvLength;
    const StepResult r = evaluate(p, scheme);
    const double wholeLayerUs = std::max(r.flops / 123.2e12, r.dramBytes / 400e9) / 61 * 1e6;
    QVERIFY2(std::fabs(wholeLayerUs - microsecondsPerLayer) < 0.015 * microsecondsPerLayer,
             qPrintable(QStringLiteral("%1 µs vs reference %2 µs").arg(wholeLayerUs).arg(microsecondsPerLayer)));
    QVERIFY(r.timeS / 61 * 1e6 >= wholeLayerUs * (1 - 1e-12));
}

void TestCostModel::timeIsSumOfOperators()
{
    Parameters p = testutil::params();
    p.applyDerates = true;
    p.hardware.kernelLatencyFloorS = 4e-6;
    const StepResult r = evaluate(p, Scheme::MlaRecompute);
    double sum = 0, byBound[4] = {0, 0, 0, 0};
    for (const OperatorResult &o : r.operators) {
        // Realistic: compute and DRAM overlap as a 2-norm (docs/model.md §6).
        QCOMPARE(o.timeS, o.latencyTimeS + std::max(std::hypot(o.computeTimeS, o.dramTimeS), o.sramTimeS));
        QCOMPARE(o.latencyTimeS, 61 * 4e-6);  // one launch per layer
        sum += o.timeS;
        byBound[int(o.bound)] += o.timeS;
    }
    QVERIFY(close(r.timeS, sum));
    QCOMPARE(int(r.bound), int(std::max_element(byBound, byBound + 4) - byBound));
    QVERIFY(close(r.intensityFlopPerByte, r.flops / r.dramBytes));
    QVERIFY(close(r.tokensPerS, 1.0 / r.timeS));
}

void TestCostModel::energyIsSumOfParts()
{
    Parameters p = testutil::params();
    p.hardware.staticPowerW = 700;
    const StepResult r = evaluate(p, Scheme::MlaReuse);
    const OperatorResult *s = findOp(r, OperatorKind::Attention);
    // E = MACs·e_MAC + DRAM bytes·e_DRAM + on-chip bytes·e_SRAM + P_static·t
    const double expected = s->cost.macs * 1.5e-12 + s->cost.dramBytes * 7.0 * 8e-12
                            + s->cost.sramBytes * 0.25 * 8e-12 + 700 * s->timeS;
    QVERIFY(close(s->energyJ, expected));
    QVERIFY(close(r.energyJ, r.computeEnergyJ + r.dramEnergyJ + r.sramEnergyJ + r.staticEnergyJ));
    QVERIFY(close(r.energyPerTokenJ, r.energyJ));  // one token per decode step at B = 1
}

void TestCostModel::maxBatchDeepSeekV3OnH100()
{
    // Attention weights 187,105,280·61·2 B = 22.83 GB; the rest of 80 GB holds 70,272 B/token · 4096 tokens
    // per request: floor((80e9 − 22,826,844,160) / 287,834,112) = 198.
    Parameters p = testutil::params();
    StepResult r = evaluate(p, Scheme::MlaReuse);
    QCOMPARE(r.weightBytes, 22826844160.0);
    QCOMPARE(r.maxBatch, 198LL);
    QVERIFY(r.fitsInDram);
    p.workload.batch = 199;
    r = evaluate(p, Scheme::MlaReuse);
    QVERIFY(!r.fitsInDram);
    QVERIFY(std::isfinite(r.timeS));
    bool flagged = false;
    for (const std::string &n : r.notes)
        flagged |= n.rfind("Does not fit", 0) == 0;
    QVERIFY(flagged);
    // MHA: 469,762,048·61·2 = 57.31 GB of weights leave 22.69 GB, one request of 3,997,696 B/token · 4096.
    QCOMPARE(evaluate(testutil::params(), Scheme::Mha).maxBatch, 1LL);
}

void TestCostModel::precisionFallback()
{
    const Parameters a100 = testutil::params("deepseek-v3", "a100-80gb");
    QCOMPARE(peakFlopsForBits(a100.hardware, 8), a100.hardware.peakFlopsBf16);  // no FP8 on A100
    const Parameters h100 = testutil::params();
    QCOMPARE(peakFlopsForBits(h100.hardware, 8), 1978.9e12);
    QCOMPARE(peakFlopsForBits(h100.hardware, 4), 1978.9e12);  // no FP4: next wider
    QCOMPARE(energyPerMacForBits(h100.hardware, 8), 0.23e-12);
    QCOMPARE(bytesPerElement(4), 0.5);
}

void TestCostModel::gemmTraffic()
{
    double pw = 0, pa = 0;
    // Fits: compulsory traffic.
    QCOMPARE(gemmOperandTrafficBytes(4, 100, 200, 2, 2, 1e9, &pw, &pa), 4.0 * 100 * 2 + 100.0 * 200 * 2);
    QCOMPARE(pw, 1.0);
    // A = 1000×100×2 = 200 KB, W = 100×1000×2 = 200 KB, C = 50 KB: 250 rows of A per block, W streamed 4×.
    const double t = gemmOperandTrafficBytes(1000, 100, 1000, 2, 2, 50000, &pw, &pa);
    QCOMPARE(pw * pa, 4.0);
    QCOMPARE(t, 200000.0 + 4 * 200000.0);
}

QTEST_APPLESS_MAIN(TestCostModel)
#include "tst_costmodel.moc"
