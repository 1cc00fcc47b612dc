// SPDX-License-Identifier: MIT
// Serving metrics (docs/model.md §14) on a hand example whose every step time follows from §4 and §6,
// plus the integrated decode sum against the exact one.
#include "check.h"
#include "testutil.h"

#include "mlastudio/core/serving.h"

#include <cmath>
#include <string>

using namespace mlastudio::core;

namespace {

// A one-layer MHA (d = 64, n_h = n_kv = 2, d_h = d_v = 32, no latent, no RoPE) on an ideal device of
// 1 TFLOP/s whose memories are so fast (1e18 and 1e19 B/s) that every operator is compute-bound; the
// cache append (no FLOPs) then costs ~1e-16 s, 1e-7 of a step, inside the tolerance below.
// FLOPs of a step (§4, one layer, BF16):
//   projections 2·T·d·(n_h·d_h + n_kv(d_h + d_v) + n_h·d_v) = 2·64·256·T = 32768·T
//   attention   qk + pv 2·B·n_h·P·(d_h + d_v) = 256·B·P, softmax 5·B·n_h·P = 10·B·P   → 266·B·P
// with T = B·S and P = S·L − S(S − 1)/2; time = FLOPs / 1e12.
Parameters handExample(int batch = 1)
{
    Parameters p = testutil::params();
    p.model.attention = AttentionKind::Mha;
    p.model.hiddenSize = 64;
    p.model.numLayers = 1;
    p.model.numHeads = 2;
    p.model.numKvHeads = 2;
    p.model.qkNopeHeadDim = 32;
    p.model.qkRopeHeadDim = 0;
    p.model.vHeadDim = 32;
    p.model.kvLoraRank = 0;
    p.model.qLoraRank = 0;
    p.hardware.peakFlopsBf16 = 1e12;
    p.hardware.peakFlopsFp8 = 0.0;
    p.hardware.peakFlopsFp4 = 0.0;
    p.hardware.dramBandwidthBytesPerS = 1e18;
    p.hardware.sramBandwidthBytesPerS = 1e19;
    p.workload.batch = batch;
    return p;
}

double handStepS(double batch, double S, double L)
{
    const double pairs = S * L - S * (S - 1) / 2;
    return (32768.0 * batch * S + 266.0 * batch * pairs) / 1e12;
}

bool near(double actual, double expected, double rel = 1e-6)
{
    return std::abs(actual - expected) <= rel * std::abs(expected);
}

} // namespace

TEST_CASE(handExampleStepsAreComputeBound)
{
    // The premise of the hand numbers: one decode step equals the FLOP count over the peak.
    const StepResult r = evaluate(decodeStepParameters(handExample(), 100, 1), Scheme::Mha);
    for (const OperatorResult &op : r.operators)
        if (op.cost.flops > 0)
            CHECK_MSG(op.bound == Bound::Compute, std::to_string(int(op.cost.kind)));
    CHECK_MSG(near(r.timeS, handStepS(1, 1, 100)), std::to_string(r.timeS));
}

TEST_CASE(ttftTpotAndE2eByHand)
{
    const Parameters p = handExample();
    // TPOT(L) = (32768 + 266·L) / 1e12: at L = 1000, 298.768 ns.
    CHECK(near(timePerOutputTokenS(p, Scheme::Mha, 1000), 298.768e-9));
    // TTFT(P = 1000) = (32768·1000 + 133·1000·1001) / 1e12 = 165.901 µs.
    CHECK(near(timeToFirstTokenS(p, Scheme::Mha, 1000), 165.901e-6));

    const ServingRequest request{1000, 11, 0};
    const ServingResult s = evaluateServing(p, Scheme::Mha, request);
    CHECK(near(s.ttftS, 165.901e-6));
    // Σ_{i=1..10} (32768 + 266·(1000 + i)) = 10·(32768 + 266000) + 266·55 = 3,002,310 FLOPs.
    CHECK(near(s.e2eS, 165.901e-6 + 3002310e-12));
    CHECK(s.decodeSumExact);
    CHECK_EQ(s.e2eErrorBoundS, 0.0);
    CHECK(near(s.tpotS, 300231e-12));
    CHECK(near(s.tpotAtPromptS, (32768 + 266.0 * 1001) / 1e12));
    CHECK(near(s.tpotAtEndS, (32768 + 266.0 * 1010) / 1e12));
    CHECK(near(s.tokensPerSPerUser, 1e12 / 300231));
    CHECK(near(s.tokensPerSSystem, s.tokensPerSPerUser));

    // One output token: no decode step, E2E = TTFT.
    const ServingResult one = evaluateServing(p, Scheme::Mha, {1000, 1, 0});
    CHECK_EQ(one.e2eS, one.ttftS);
    CHECK(near(one.tpotS, (32768 + 266.0 * 1001) / 1e12));
}

TEST_CASE(chunkedPrefillByHand)
{
    const Parameters p = handExample();
    // P = 1000, C = 300: chunks S = 300, 300, 300, 100 at L = 300, 600, 900, 1000.
    double expected = 0.0;
    for (auto [S, L] : {std::pair{300.0, 300.0}, {300.0, 600.0}, {300.0, 900.0}, {100.0, 1000.0}})
        expected += handStepS(1, S, L);
    // Σ pairs = 45150 + 135150 + 225150 + 95050 = 500500 = 1000·1001/2, as in one prefill: chunking
    // keeps the FLOPs here, so the chunked TTFT equals the unchunked one.
    CHECK(near(expected, 165.901e-6));
    CHECK(near(timeToFirstTokenS(p, Scheme::Mha, 1000, 300), expected));
    const ServingResult s = evaluateServing(p, Scheme::Mha, {1000, 11, 300});
    CHECK_EQ(s.prefillSteps, 4LL);
    CHECK(near(s.ttftS, expected));
    // A chunk at least the prompt is one decode-like step with S = L = P.
    CHECK(near(timeToFirstTokenS(p, Scheme::Mha, 1000, 1000), handStepS(1, 1000, 1000)));
    CHECK(near(timeToFirstTokenS(p, Scheme::Mha, 1000, 4096), handStepS(1, 1000, 1000)));
}

TEST_CASE(longOutputIsIntegratedExactlyForLinearTpot)
{
    // N − 1 = 9999 > kExactDecodeSteps: sampled, and exact for a TPOT linear in L.
    const Parameters p = handExample();
    const ServingResult s = evaluateServing(p, Scheme::Mha, {1000, 10000, 0});
    CHECK(!s.decodeSumExact);
    const double n = 9999;
    const double decodeFlops = n * (32768 + 266.0 * 1000) + 266.0 * n * (n + 1) / 2;
    CHECK(near(s.e2eS - s.ttftS, decodeFlops / 1e12));
    CHECK(s.e2eErrorBoundS > 0.0);
}

TEST_CASE(integratedSumWithinItsBoundOnARealModel)
{
    // DeepSeek-V3 on an H100, mla-reuse, realistic kernels: TPOT is not linear in L (cache residency,
    // the latency floor). Compare the integrated sum with the exact one, step by step.
    Parameters p = testutil::params();
    p.applyDerates = true;
    p.workload.batch = 8;
    const long long P = 2000, N = 3000;
    const ServingResult s = evaluateServing(p, Scheme::MlaReuse, {P, N, 0});
    CHECK(!s.decodeSumExact);
    double exact = 0.0;
    for (long long i = 1; i < N; ++i)
        exact += evaluate(decodeStepParameters(p, P + i, 1), Scheme::MlaReuse).timeS;
    const double integrated = s.e2eS - s.ttftS;
    CHECK_MSG(std::abs(integrated - exact) <= s.e2eErrorBoundS * (1 + 1e-9) + 1e-15,
              std::to_string(integrated - exact) + " > " + std::to_string(s.e2eErrorBoundS));
    CHECK(s.e2eErrorBoundS < 1e-3 * exact);
}

TEST_CASE(systemThroughputCountsEveryRequest)
{
    // B = 4 in lockstep: each step is 4× the work of B = 1 here; system = B · per user.
    const ServingResult one = evaluateServing(handExample(1), Scheme::Mha, {500, 20, 0});
    const ServingResult four = evaluateServing(handExample(4), Scheme::Mha, {500, 20, 0});
    CHECK(near(four.tpotS, 4 * one.tpotS));
    CHECK(near(four.tokensPerSSystem, 4 * four.tokensPerSPerUser));
    CHECK(near(four.tokensPerSSystem, one.tokensPerSSystem));
    // Data parallelism: B counts the requests of all groups; with DP = 2 each device serves 2 of them,
    // the step takes half as long and the system rate doubles.
    Parameters dp = handExample(4);
    dp.parallel = {1, 2};
    const ServingResult split = evaluateServing(dp, Scheme::Mha, {500, 20, 0});
    CHECK(near(split.tpotS, 2 * one.tpotS));
    CHECK(near(split.tokensPerSSystem, 2 * four.tokensPerSSystem));
}

TEST_CASE(autoPicksPerStep)
{
    const Parameters p = testutil::params();
    const ServingResult a = evaluateServing(p, std::nullopt, {1024, 8, 0});
    double best = 1e300;
    for (Scheme s : {Scheme::MlaReuse, Scheme::MlaRecompute, Scheme::MlaReuseMerged, Scheme::MlaNaive})
        best = std::min(best, timePerOutputTokenS(p, s, 1025));
    CHECK_EQ(a.tpotAtPromptS, best);
}

TEST_CASE(invalidRequestsNameTheField)
{
    const Parameters p = handExample();
    auto fieldOf = [&](const ServingRequest &r) {
        const auto issues = validateServing(p, r);
        return issues.empty() ? std::string() : issues.front().field;
    };
    CHECK_EQ(fieldOf({0, 10, 0}), std::string("prompt_len"));
    CHECK_EQ(fieldOf({10, 0, 0}), std::string("output_len"));
    CHECK_EQ(fieldOf({10, 10, -1}), std::string("chunk"));
    CHECK_EQ(fieldOf({10, 10, 5}), std::string());
    CHECK_THROWS(ModelError, evaluateServing(p, Scheme::Mha, {-5, 10, 0}));
    Parameters kernel = p;
    kernel.scope = Scope::Kernel;
    const std::vector<ValidationIssue> issues = validateServing(kernel, {10, 10, 0});
    CHECK(!issues.empty());
    CHECK_EQ(issues.front().field, std::string("scope"));
}

CHECK_MAIN()
