// SPDX-License-Identifier: MIT
// Sweeps and the scheme map agree with single evaluations; invalid points are gaps.
#include "check.h"
#include "testutil.h"

#include "mlastudio/core/sweep.h"

#include <cmath>
#include <string>

using namespace mlastudio::core;

TEST_CASE(logSpaceEndpoints)
{
    const auto v = logSpace(128, 1 << 20, 14);
    CHECK_EQ(v.size(), std::size_t(14));
    CHECK_EQ(v.front(), 128.0);
    CHECK_EQ(v.back(), double(1 << 20));
    CHECK(std::fabs(v[1] / v[0] - v[2] / v[1]) < 1e-9);
    CHECK_THROWS(std::invalid_argument, logSpace(0, 10, 5));
}

TEST_CASE(fieldSweepValuesStepAndRound)
{
    // Linear: 1, 3.25, 5.5, 7.75, 10 for a real field; whole values without repeats for an integer one.
    const auto bw = fieldSweepValues(fieldInfo(Field::DramBandwidth), 1.0, 10.0, 5, false);
    CHECK_EQ(bw.size(), std::size_t(5));
    CHECK_EQ(bw[1], 3.25);
    CHECK_EQ(bw[3], 7.75);
    const auto heads = fieldSweepValues(fieldInfo(Field::Heads), 1.0, 4.0, 10, false);
    CHECK_EQ(heads.size(), std::size_t(4));
    CHECK_EQ(heads[0], 1.0);
    CHECK_EQ(heads[1], 2.0);
    CHECK_EQ(heads[3], 4.0);
    // Log: 10, 100, 1000 exactly at the ends, geometric inside; descending ranges are kept descending.
    const auto lg = fieldSweepValues(fieldInfo(Field::KvLength), 10.0, 1000.0, 3, true);
    CHECK_EQ(lg.size(), std::size_t(3));
    CHECK_EQ(lg[1], 100.0);
    const auto down = fieldSweepValues(fieldInfo(Field::Batch), 8.0, 2.0, 4, false);
    CHECK_EQ(down.front(), 8.0);
    CHECK_EQ(down.back(), 2.0);
    CHECK_THROWS(std::invalid_argument, fieldSweepValues(fieldInfo(Field::Batch), 0.0, 8.0, 4, true));
    CHECK_THROWS(std::invalid_argument, fieldSweepValues(fieldInfo(Field::Batch), 1.0, 8.0, 1, false));
    CHECK_THROWS(std::invalid_argument, fieldSweepValues(fieldInfo(Field::Batch), 1.0, 8.0, 0, false));
}

TEST_CASE(fieldSweepMatchesEvaluate)
{
    // A model field: the latent rank, through the same setFieldValue as the --kv-lora-rank option.
    const Parameters p = testutil::params();
    const std::vector<double> ranks = {64, 256, 512};
    const auto pts = fieldSweep(p, Field::KvLoraRank, ranks, {Scheme::Mha, Scheme::MlaReuse}, true, true);
    CHECK_EQ(pts.size(), std::size_t(3));
    for (std::size_t i = 0; i < pts.size(); ++i) {
        Parameters q = p;
        q.model.kvLoraRank = int(ranks[i]);
        CHECK(pts[i].issues.empty());
        CHECK_EQ(pts[i].results.size(), std::size_t(3));
        CHECK_EQ(pts[i].results[1].timeS, evaluate(q, Scheme::MlaReuse).timeS);
        CHECK_EQ(pts[i].results[1].kvCacheBytesPerToken, (ranks[i] + 64) * 61 * 2);
        CHECK_EQ(pts[i].results[2].timeS, evaluateAuto(q).timeS);
        CHECK(pts[i].results[2].autoSelected);
    }
    // An invalid point is reported, not evaluated: S = 8 > L = 4.
    Parameters s = p;
    s.workload.queryLength = 8;
    const auto bad = fieldSweep(s, Field::KvLength, {4, 16}, {Scheme::MlaReuse}, false, true);
    CHECK(!bad[0].issues.empty());
    CHECK(bad[0].results.empty());
    CHECK(bad[1].issues.empty());
    // A latent of 0 makes the MLA schemes inapplicable: skipped with "all", an issue when named.
    const auto zero = fieldSweep(p, Field::KvLoraRank, {0}, {Scheme::Mha, Scheme::MlaReuse}, false, true);
    CHECK_EQ(zero[0].results.size(), std::size_t(1));
    const auto named = fieldSweep(p, Field::KvLoraRank, {0}, {Scheme::MlaReuse}, false, false);
    CHECK(!named[0].issues.empty());
}

TEST_CASE(sweepMatchesEvaluate)
{
    const Parameters p = testutil::params();
    for (SweepAxis axis : {SweepAxis::KvLength, SweepAxis::Batch, SweepAxis::DramBandwidth, SweepAxis::PeakCompute,
                           SweepAxis::SramCapacity}) {
        const FieldInfo &f = fieldInfo(axis);
        const auto xs = logSpace(std::max(f.min, 1.0) * f.displayScale, f.max * f.displayScale, 9);
        const SweepSeries s = sweep(p, Scheme::MlaReuse, axis, xs);
        for (std::size_t i = 0; i < xs.size(); ++i) {
            const StepResult r = evaluate(withAxisValue(p, axis, xs[i]), Scheme::MlaReuse);
            CHECK(s.valid[i]);
            CHECK_EQ(bool(s.fitsInDram[i]), r.fitsInDram);
            CHECK_EQ(s.timeS[i], r.timeS);
            CHECK_EQ(s.tokensPerS[i], r.tokensPerS);
            CHECK_EQ(s.energyPerTokenJ[i], r.energyPerTokenJ);
        }
    }
    // MHA on an 80 GB H100 at L = 4096 fits one request only (weights 57.3 GB + 16.4 GB per request).
    const SweepSeries mha = sweep(p, Scheme::Mha, SweepAxis::Batch, {1, 2, 64});
    CHECK(mha.fitsInDram[0] && !mha.fitsInDram[1] && !mha.fitsInDram[2]);
    CHECK(std::isfinite(mha.tokensPerS[2]));  // still evaluated: the view draws it as "does not fit"
    // Compute axis scales the 8-bit peak with the 16-bit one.
    const Parameters doubled = withAxisValue(p, SweepAxis::PeakCompute, 2 * p.hardware.peakFlopsBf16);
    CHECK_EQ(doubled.hardware.peakFlopsFp8, 2 * p.hardware.peakFlopsFp8);
}

// Every numeric field is an axis; model fields step like their sliders (multiples of 64 for ranks).
TEST_CASE(everyFieldIsAnAxis)
{
    const Parameters p = testutil::params();
    for (const FieldInfo &f : allFields()) {
        CHECK_MSG(sweepAxisFromId(sweepAxisId(f.field)) == f.field, std::string(f.id));
        CHECK(sweepAxisFromId(f.cliName) == f.field);
        CHECK(sweepAxisFromId(f.id) == f.field);
        const std::vector<double> xs = sweepAxisValues(f.field, 200);
        CHECK_MSG(xs.size() >= 2 && xs.size() <= 200, std::string(f.id));
        for (std::size_t i = 1; i < xs.size(); ++i)
            CHECK_MSG(xs[i] > xs[i - 1], std::string(f.id));
        const SweepSeries s = sweep(p, Scheme::Mha, f.field, xs);
        CHECK_EQ(s.x.size(), xs.size());
    }
    // The legacy ids of the six original axes still read.
    CHECK(sweepAxisFromId("compute") == Field::PeakCompute);
    CHECK(sweepAxisFromId("sram") == Field::SramCapacity);
    CHECK(sweepAxisId(Field::KvLoraRank) == "kv-lora-rank");
    CHECK(!sweepAxisFromId("no-such-field"));

    // Latent rank 0..4096 at multiples of 64: 0, 64, ..., 4096 (65 values), each an exact whole number.
    const std::vector<double> ranks = sweepAxisValues(Field::KvLoraRank, 200);
    CHECK_EQ(ranks.size(), std::size_t(65));
    for (std::size_t i = 0; i < ranks.size(); ++i)
        CHECK_EQ(ranks[i], 64.0 * double(i));
    // Heads (integer, no step): whole numbers only.
    for (double h : sweepAxisValues(Field::Heads, 200))
        CHECK_EQ(h, std::round(h));
    // Precisions: only the bit widths the model takes.
    CHECK(sweepAxisValues(Field::KvBits, 200) == (std::vector<double>{4, 8, 16}));
    // On-chip memory: log from 1 MiB to 1 GiB.
    const SweepRange sram = sweepRange(Field::SramCapacity);
    CHECK(sram.logScale && sram.min == 1048576.0 && sram.max == 1073741824.0);

    // A latent-rank sweep equals evaluate() at the sampled points; rank 0 is a gap for MLA, not an error.
    const SweepSeries mla = sweep(p, Scheme::MlaReuse, Field::KvLoraRank, ranks);
    CHECK(!mla.valid[0]);
    for (std::size_t i : {std::size_t(1), std::size_t(8), std::size_t(33), std::size_t(64)}) {
        const StepResult r = evaluate(withAxisValue(p, Field::KvLoraRank, ranks[i]), Scheme::MlaReuse);
        CHECK(mla.valid[i]);
        CHECK_EQ(mla.timeS[i], r.timeS);
        CHECK_EQ(mla.tokensPerS[i], r.tokensPerS);
    }
    // A larger latent reads more cache: decode time grows with the rank.
    CHECK(mla.timeS[64] > mla.timeS[8]);
}

// Sliders snap where the field table says: ranks and dims to multiples of 64, counts to integers.
TEST_CASE(snapDisplayValueFollowsTheTable)
{
    const FieldInfo &rank = fieldInfo(Field::KvLoraRank);
    CHECK_EQ(rank.step, 64.0);
    CHECK_EQ(snapDisplayValue(rank, 1016.0), 1024.0);
    CHECK_EQ(snapDisplayValue(rank, 1000.0), 1024.0);
    CHECK_EQ(snapDisplayValue(rank, 991.0), 960.0);
    CHECK_EQ(snapDisplayValue(rank, 5000.0), 4096.0);
    const FieldInfo &head = fieldInfo(Field::HeadDim);  // min 16: the lower end stays reachable
    CHECK_EQ(snapDisplayValue(head, 20.0), 16.0);
    CHECK_EQ(snapDisplayValue(head, 100.0), 128.0);
    for (Field f : {Field::QLoraRank, Field::RopeDim, Field::VHeadDim, Field::HiddenSize})
        CHECK_EQ(fieldInfo(f).step, 64.0);
    const FieldInfo &heads = fieldInfo(Field::Heads);
    CHECK_EQ(heads.step, 0.0);
    CHECK_EQ(snapDisplayValue(heads, 7.4), 7.0);
    const FieldInfo &bw = fieldInfo(Field::DramBandwidth);  // real fields are not snapped
    CHECK_EQ(snapDisplayValue(bw, 3350.7), 3350.7);
}

TEST_CASE(invalidPointsAreGaps)
{
    Parameters p = testutil::params();
    p.workload.queryLength = 300;  // S > L for the first points
    const SweepSeries s = sweep(p, Scheme::Mha, SweepAxis::KvLength, {128, 256, 512, 4096});
    CHECK(!s.valid[0] && !s.valid[1] && s.valid[2] && s.valid[3]);
    CHECK(std::isnan(s.tokensPerS[0]));
    CHECK(std::isfinite(s.tokensPerS[3]));
    // A scheme that does not apply gives no valid point at all.
    const SweepSeries none = sweep(testutil::params("llama-3.1-70b"), Scheme::MlaReuse, SweepAxis::Batch, {1, 2});
    CHECK(!none.valid[0] && !none.valid[1]);
}

TEST_CASE(schemeMapAgreesWithEvaluate)
{
    const Parameters p = testutil::params();
    const std::vector<Scheme> schemes = {Scheme::Mha, Scheme::MlaReuse, Scheme::MlaRecompute};
    Eigen::ArrayXd bw(5), pf(4);
    bw << 1e9, 1e10, 4e11, 3.35e12, 2e13;
    pf << 1e11, 1e13, 989.4e12, 1e16;
    const SchemeMap map = schemeMap(p, schemes, bw, pf);
    CHECK_EQ(map.schemes.size(), std::size_t(3));
    for (int i = 0; i < bw.size(); ++i)
        for (int j = 0; j < pf.size(); ++j) {
            Parameters q = withAxisValue(withAxisValue(p, SweepAxis::DramBandwidth, bw(i)), SweepAxis::PeakCompute, pf(j));
            double best = 1e300, second = 1e300;
            int bestIndex = -1;
            for (int s = 0; s < 3; ++s) {
                const double t = evaluateTotals(q, schemes[s]).timeS;
                CHECK(std::fabs(map.timeS[s](i, j) - t) <= 1e-9 * t);
                if (t < best) {
                    second = best;
                    best = t;
                    bestIndex = s;
                } else if (t < second) {
                    second = t;
                }
            }
            CHECK_EQ(map.bestIndex(i, j), bestIndex);
            CHECK(std::fabs(map.speedupOverRunnerUp(i, j) - second / best) < 1e-9 * second / best);
            CHECK(map.speedupOverRunnerUp(i, j) >= 1.0);
        }
    // At the H100's own point an MLA scheme wins; where compute is starved (0.1 TFLOP/s against 20 TB/s)
    // MHA wins, because absorbed attention does 4.25× the attention FLOPs of MHA.
    CHECK(map.bestIndex(3, 2) != 0);
    CHECK_EQ(map.bestIndex(4, 0), 0);

    // The realistic model too: efficiencies, tiles, t_0 and the 2-norm overlap, cell by cell.
    Parameters real = p;
    real.applyDerates = true;
    const SchemeMap realMap = schemeMap(real, schemes, bw, pf);
    for (int i = 0; i < bw.size(); ++i)
        for (int j = 0; j < pf.size(); ++j) {
            const Parameters q = withAxisValue(withAxisValue(real, SweepAxis::DramBandwidth, bw(i)), SweepAxis::PeakCompute, pf(j));
            for (int s = 0; s < 3; ++s) {
                const double t = evaluateTotals(q, schemes[s]).timeS;
                CHECK(std::fabs(realMap.timeS[s](i, j) - t) <= 1e-9 * t);
                CHECK(realMap.timeS[s](i, j) > map.timeS[s](i, j));
            }
        }
}

// The map's inputs hold all it reads of the parameters: the axes and the energy fields are not in them.
TEST_CASE(schemeMapInputsLeaveOutTheAxes)
{
    const std::vector<Scheme> schemes = {Scheme::Mha, Scheme::MlaReuse, Scheme::MlaRecompute};
    for (const bool derates : {false, true}) {
        Parameters p = testutil::params();
        p.applyDerates = derates;
        const SchemeMapInputs base = schemeMapInputs(p, schemes);
        CHECK_EQ(base.schemes.size(), std::size_t(3));
        CHECK(base.schemes[1].scheme == Scheme::MlaReuse);
        CHECK(!base.schemes[0].operators.empty());
        CHECK_EQ(base.schemes[0].operators[0].partialOverlap, derates);
        // Fields the map does not depend on: its two axes, DRAM capacity, energies, static power.
        for (const auto &[field, value] : std::vector<std::pair<Field, double>>{{Field::DramBandwidth, 0.8e12},
                                                                               {Field::DramBandwidth, 17.3e12},
                                                                               {Field::DramCapacity, 141e9},
                                                                               {Field::EnergyMac16, 0.9e-12},
                                                                               {Field::EnergyDram, 40e-12},
                                                                               {Field::EnergySram, 3e-12},
                                                                               {Field::StaticPower, 350.0}}) {
            const Parameters q = withAxisValue(p, field, value);
            CHECK_MSG(fieldValue(q, field) != fieldValue(p, field), std::string(fieldInfo(field).id));
            CHECK_MSG(schemeMapInputs(q, schemes) == base, std::string(fieldInfo(field).id));
        }
        // Fields it does depend on.
        for (const auto &[field, value] : std::vector<std::pair<Field, double>>{{Field::KvLength, 8192.0},
                                                                               {Field::Batch, 32.0},
                                                                               {Field::SramCapacity, 256.0 * 1048576.0},
                                                                               {Field::SramBandwidth, 20e12},
                                                                               {Field::Heads, 64.0},
                                                                               {Field::KvLoraRank, 256.0}}) {
            const Parameters q = withAxisValue(p, field, value);
            CHECK_MSG(!(schemeMapInputs(q, schemes) == base), std::string(fieldInfo(field).id));
        }
        // A scheme that stops applying leaves the inputs: a latent rank of 0 keeps MHA only.
        const SchemeMapInputs mhaOnly = schemeMapInputs(withAxisValue(p, Field::KvLoraRank, 0.0), schemes);
        CHECK_EQ(mhaOnly.schemes.size(), std::size_t(1));
        CHECK(mhaOnly.schemes[0] == base.schemes[0]);
    }
    // The 16-bit peak, the compute axis: the 8-bit peak moves with it (setFieldValue keeps P_16 / P_8,
    // up to rounding that the inputs round away), so the inputs stay equal, at 16 and at 8 bits.
    for (const Parameters &p : {testutil::params(), testutil::params8("deepseek-v3", "h100-sxm")}) {
        const SchemeMapInputs base = schemeMapInputs(p, schemes);
        for (double peak : {0.1e12, 37.5e12, 989.4e12, 2250e12, 9999e12})
            CHECK(schemeMapInputs(withAxisValue(p, Field::PeakCompute, peak), schemes) == base);
        // A drag: the slider sets the field at each move, so the rounding of P_8 adds up move by move.
        Parameters dragged = p;
        for (int i = 0; i < 400; ++i) {
            const int phase = i % 200, position = phase < 100 ? phase * 10 : (200 - phase) * 10;
            setFieldValue(dragged, Field::PeakCompute, std::pow(10.0, -1.0 + 5.0 * position / 1000.0) * 1e12);
            CHECK_MSG(schemeMapInputs(dragged, schemes) == base, "move " + std::to_string(i));
        }
        // A different multiple of P_16 is a different machine where 8-bit operands are used.
        Parameters fasterFp8 = p;
        fasterFp8.hardware.peakFlopsFp8 *= 1.5;
        CHECK_EQ(schemeMapInputs(fasterFp8, schemes) == base, p.precision.weightBits == 16);
    }
}

// The map from its inputs is the map from the parameters, and equal inputs give an equal map: a view
// may keep its map while only an axis moves.
TEST_CASE(schemeMapFromInputsIsExact)
{
    const std::vector<Scheme> schemes = {Scheme::Mha, Scheme::MlaReuse, Scheme::MlaRecompute, Scheme::MlaNaive};
    Eigen::ArrayXd bw(7), pf(6);
    bw << 1e9, 3e9, 1e10, 4e11, 3.35e12, 8e12, 2e13;
    pf << 1e11, 1e12, 1e13, 989.4e12, 2e15, 1e16;
    for (const bool derates : {false, true}) {
        Parameters p = testutil::params();
        p.applyDerates = derates;
        p.workload.kvLength = 16384;
        p.workload.batch = 8;
        const SchemeMap fromParams = schemeMap(p, schemes, bw, pf);
        // Parameters that differ in the axes only: the map of their inputs is the same, bit for bit.
        const Parameters moved = withAxisValue(withAxisValue(p, Field::DramBandwidth, 0.5e12), Field::PeakCompute, 123e12);
        const SchemeMap fromInputs = schemeMap(schemeMapInputs(moved, schemes), bw, pf);
        CHECK_EQ(fromInputs.schemes.size(), fromParams.schemes.size());
        CHECK_EQ(fromParams.schemes.size(), std::size_t(4));
        for (std::size_t s = 0; s < fromParams.schemes.size(); ++s) {
            CHECK(fromInputs.schemes[s] == fromParams.schemes[s]);
            CHECK((fromInputs.timeS[s] == fromParams.timeS[s]).all());
        }
        CHECK((fromInputs.bestIndex == fromParams.bestIndex).all());
        CHECK((fromInputs.speedupOverRunnerUp == fromParams.speedupOverRunnerUp).all());
        // Each cell is the evaluation at that cell (the vectorised grid against the scalar roofline).
        for (int i = 0; i < bw.size(); ++i)
            for (int j = 0; j < pf.size(); ++j) {
                const Parameters q = withAxisValue(withAxisValue(p, Field::DramBandwidth, bw(i)), Field::PeakCompute, pf(j));
                for (std::size_t s = 0; s < schemes.size(); ++s) {
                    const double t = evaluateTotals(q, schemes[s]).timeS;
                    CHECK(std::fabs(fromParams.timeS[s](i, j) - t) <= 2e-11 * t);
                }
            }
    }
}

// Under tensor parallelism the all-reduce takes its link time, whatever the DRAM bandwidth and compute:
// the map times it as evaluate() does, not by a roofline over the bytes it moves.
TEST_CASE(schemeMapTimesCollectivesAsEvaluate)
{
    const std::vector<Scheme> schemes = {Scheme::Mha, Scheme::MlaReuse};
    Eigen::ArrayXd bw(3), pf(3);
    bw << 1e9, 3.35e12, 2e13;
    pf << 1e11, 989.4e12, 1e16;
    Parameters p = testutil::params();
    p.parallel.tensor = 4;
    p.hardware.interconnectBandwidthBytesPerS = 50e9;
    const SchemeMapInputs inputs = schemeMapInputs(p, schemes);
    bool sawCollective = false;
    for (const SchemeMapOperator &o : inputs.schemes[0].operators)
        if (o.flopsAt16 == 0.0 && o.dramBytes == 0.0 && o.fixedTimeS > 0.0)
            sawCollective = true;
    CHECK(sawCollective);
    // The link speed is in the inputs at TP > 1.
    CHECK(!(schemeMapInputs(withAxisValue(p, Field::InterconnectBandwidth, 900e9), schemes) == inputs));
    const SchemeMap map = schemeMap(inputs, bw, pf);
    for (int i = 0; i < bw.size(); ++i)
        for (int j = 0; j < pf.size(); ++j) {
            const Parameters q = withAxisValue(withAxisValue(p, Field::DramBandwidth, bw(i)), Field::PeakCompute, pf(j));
            for (std::size_t s = 0; s < schemes.size(); ++s) {
                const double t = evaluateTotals(q, schemes[s]).timeS;
                CHECK(std::fabs(map.timeS[s](i, j) - t) <= 2e-11 * t);
            }
        }
}

CHECK_MAIN()
