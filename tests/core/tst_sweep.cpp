// SPDX-License-Identifier: MIT
// Sweeps and the scheme map agree with single evaluations; invalid points are gaps.
#include "check.h"
#include "testutil.h"

#include "mlastudio/core/sweep.h"

#include <cmath>

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

TEST_CASE(sweepMatchesEvaluate)
{
    const Parameters p = testutil::params();
    for (SweepAxis axis : {SweepAxis::KvLength, SweepAxis::Batch, SweepAxis::DramBandwidth, SweepAxis::Compute,
                           SweepAxis::SramCapacity}) {
        const FieldInfo &f = fieldInfo(axisField(axis));
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
    const Parameters doubled = withAxisValue(p, SweepAxis::Compute, 2 * p.hardware.peakFlopsBf16);
    CHECK_EQ(doubled.hardware.peakFlopsFp8, 2 * p.hardware.peakFlopsFp8);
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
            Parameters q = withAxisValue(withAxisValue(p, SweepAxis::DramBandwidth, bw(i)), SweepAxis::Compute, pf(j));
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
}

CHECK_MAIN()
