// SPDX-License-Identifier: MIT
// Tensor and data parallelism (docs/model.md §12): per-device cache and weights derived by hand,
// the all-reduce formula, idle devices, and errors that name the field.
#include "check.h"
#include "testutil.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/inputlimits.h"

#include <string>

using namespace mlastudio::core;

namespace {

// DeepSeek-V3 dimensions (d = 7168, n_h = 128, d_h = d_v = 128, d_R = 64, d_c = 512, d_c' = 1536,
// l = 61) on an H100 with NVLink, BF16: 2 bytes per element, 61 layers.
Parameters v3(int tp, int dp = 1)
{
    Parameters p = testutil::params();
    p.parallel = {tp, dp};
    return p;
}

bool hasIssue(const std::vector<ValidationIssue> &issues, const std::string &field, const std::string &text)
{
    for (const ValidationIssue &i : issues)
        if (i.field == field && i.message.find(text) != std::string::npos)
            return true;
    return false;
}

} // namespace

TEST_CASE(perDeviceCacheAndWeightsUnderTensorParallelism)
{
    const double bytes = 61 * 2;
    for (int tp : {1, 2, 8, 16}) {
        // MHA: cache n_h/TP·(d_h + d_v) per layer; weights W_Q, W_K, W_V, W_O all head-wise: 4·d·n_h·d_h / TP.
        const StepResult mha = evaluate(v3(tp), Scheme::Mha);
        CHECK_EQ(mha.perDevice.kvCacheBytesPerToken, 128.0 / tp * 256 * bytes);
        CHECK_EQ(mha.perDevice.weightBytes, 4.0 * 7168 * 128 * 128 / tp * bytes);
        // GQA with n_kv = 8: the KV heads shard up to TP = 8, then one is replicated on each device.
        const StepResult gqa = evaluate(v3(tp), Scheme::Gqa);
        const double kvHeads = tp <= 8 ? 8.0 / tp : 1.0;
        CHECK_EQ(gqa.perDevice.kvCacheBytesPerToken, kvHeads * 256 * bytes);
        CHECK_EQ(gqa.perDevice.weightBytes, (7168.0 * 128 / tp * 128 + 7168 * kvHeads * 256 + 128.0 / tp * 128 * 7168) * bytes);
        // MLA: the latent d_c + d_R = 576 is whole on every device whatever TP; W_DQ (d·d_c') and
        // W_DKV + W_KR (d·576) are replicated, the rest (W_UQ, W_QR, W_UK, W_UV, W_O) shards:
        // 187,105,280 − 11,010,048 − 4,128,768 = 171,966,464 elements per layer.
        for (Scheme s : {Scheme::MlaReuse, Scheme::MlaRecompute}) {
            const StepResult mla = evaluate(v3(tp), s);
            CHECK_EQ(mla.perDevice.kvCacheBytesPerToken, 70272.0);
            CHECK_EQ(mla.perDevice.weightBytes, (11010048.0 + 4128768.0 + 171966464.0 / tp) * bytes);
        }
        // The model's own figures do not change with the deployment.
        CHECK_EQ(mha.kvCacheBytesPerToken, 3997696.0);
        CHECK_EQ(evaluate(v3(tp), Scheme::MlaReuse).kvCacheBytesPerToken, 70272.0);
        CHECK_EQ(mha.devices, tp);
    }
    // TP = 16 by hand: GQA weights per layer d·8·128 + d·1·256 + 8·128·d = 7168·2304.
    CHECK_EQ(evaluate(v3(16), Scheme::Gqa).perDevice.weightBytes, 7168.0 * 2304 * bytes);
    // At TP = 1 the per-device figures are the whole model's.
    const StepResult one = evaluate(v3(1), Scheme::MlaReuse);
    CHECK_EQ(one.perDevice.weightBytes, one.weightBytes);
    CHECK_EQ(one.perDevice.maxBatch, one.maxBatch);
    CHECK_EQ(one.communicationTimeS, 0.0);
}

TEST_CASE(allReduceFormula)
{
    // 2(N−1)/N · bytes / BW + (N−1) · latency.
    CHECK_EQ(allReduceTimeS(8, 14336, 450e9, 0.47e-6), 2.0 * 7 / 8 * 14336 / 450e9 + 7 * 0.47e-6);
    CHECK_EQ(allReduceTimeS(2, 1e9, 1e11, 0.0), 0.01);
    CHECK_EQ(allReduceTimeS(1, 1e9, 1e11, 1e-6), 0.0);
    // In a step: B = 4 decode tokens × d = 7168 × 2 bytes reduced after each of the 61 o_proj.
    Parameters p = v3(8);
    p.workload.batch = 4;
    const StepResult r = evaluate(p, Scheme::MlaReuse);
    const double perLayer = 2.0 * 7 / 8 * (4 * 7168 * 2) / 450e9 + 7 * 0.47e-6;
    CHECK_EQ(r.communicationTimeS, 61 * perLayer);
    const OperatorResult &ar = r.operators.back();
    CHECK(ar.cost.kind == OperatorKind::AllReduce);
    CHECK_EQ(ar.timeS, 61 * perLayer);
    CHECK(ar.bound == Bound::Interconnect);
    CHECK(ar.energyJ > 0.0);
    // The rest of the step is exactly one device with n_h/TP = 16 heads.
    Parameters sixteen = testutil::params();
    sixteen.workload.batch = 4;
    sixteen.model.numHeads = 16;
    CHECK_EQ(r.timeS - r.communicationTimeS, evaluate(sixteen, Scheme::MlaReuse).timeS);
    // Tokens per second of the system and of each device.
    CHECK_EQ(r.tokensPerS, 4.0 / r.timeS);
    CHECK_EQ(r.tokensPerSPerDevice, r.tokensPerS / 8);
    // The kernel scope exchanges nothing.
    p.scope = Scope::Kernel;
    CHECK_EQ(evaluate(p, Scheme::MlaReuse).communicationTimeS, 0.0);
}

TEST_CASE(dataParallelismSplitsRequests)
{
    // B = 8 over DP = 4: each device serves 2 requests with whole weights; the step takes as long
    // as one device at B = 2 and the system makes 4 times its tokens.
    Parameters p = v3(1, 4);
    p.workload.batch = 8;
    Parameters two = testutil::params();
    two.workload.batch = 2;
    const StepResult r = evaluate(p, Scheme::MlaReuse), d = evaluate(two, Scheme::MlaReuse);
    CHECK_EQ(r.timeS, d.timeS);
    CHECK_EQ(r.tokensPerS, 4 * d.tokensPerS);
    CHECK_EQ(r.energyJ, 4 * d.energyJ);
    CHECK_EQ(r.energyPerTokenJ, d.energyPerTokenJ);
    CHECK_EQ(r.communicationTimeS, 0.0);
    CHECK_EQ(r.perDevice.weightBytes, d.weightBytes);
    CHECK_EQ(r.perDevice.dramNeededBytes, d.dramNeededBytes);
    CHECK_EQ(r.maxBatch, 4 * d.maxBatch);
    CHECK_EQ(r.idleDevices, 0);
    // DP = 4 with B = 2: two idle devices, reported, not an error; they draw static power only.
    p.workload.batch = 2;
    p.hardware.staticPowerW = 100.0;
    two.workload.batch = 1;
    two.hardware.staticPowerW = 100.0;
    const StepResult idle = evaluate(p, Scheme::MlaReuse), single = evaluate(two, Scheme::MlaReuse);
    CHECK(validate(p).empty());
    CHECK_EQ(idle.idleDevices, 2);
    CHECK_EQ(idle.timeS, single.timeS);
    CHECK_EQ(idle.energyJ, 2 * single.energyJ + 2 * 100.0 * single.timeS);
    // The fast path used by sweeps agrees.
    CHECK_EQ(evaluateTotals(p, Scheme::MlaReuse).energyJ, idle.energyJ);
    CHECK_EQ(evaluateTotals(p, Scheme::MlaReuse).timeS, idle.timeS);
}

TEST_CASE(invalidParallelConfigsNameTheField)
{
    CHECK(hasIssue(validate(v3(3)), "tensor_parallel", "must divide the number of heads (128), got 3"));
    CHECK(hasIssue(validate(v3(0)), "tensor_parallel", "must be an integer from 1"));
    CHECK(hasIssue(validate(v3(-2)), "tensor_parallel", "must be an integer from 1"));
    CHECK(hasIssue(validate(v3(1, 0)), "data_parallel", "must be an integer from 1"));
    // GQA: TP must divide n_kv or be a multiple of it (48 heads, 12 KV heads, TP = 8).
    Parameters g = v3(8);
    g.model.numHeads = 48;
    g.model.numKvHeads = 12;
    CHECK(validate(g).empty());
    CHECK(hasIssue(validateScheme(g, Scheme::Gqa), "tensor_parallel", "must divide the KV heads (12)"));
    CHECK(validateScheme(g, Scheme::MlaReuse).empty());
    // TP needs a link: a preset without an interconnect says so in the field's name.
    Parameters pcie = v3(2);
    pcie.hardware.interconnectBandwidthBytesPerS = 0.0;
    const std::vector<ValidationIssue> issues = validate(pcie);
    CHECK(hasIssue(issues, "interconnect.bandwidth", "must be greater than 0 for tensor parallelism"));
    CHECK_EQ(issueSubject(issues.front(), IssueStyle::CommandLine), std::string("--link-gbs"));
}

CHECK_MAIN()
