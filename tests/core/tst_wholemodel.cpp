// SPDX-License-Identifier: MIT
// The whole model's parameters (docs/model.md §13) against published totals, and the expected
// number of distinct experts under uniform routing.
#include "check.h"
#include "testutil.h"

#include "mlastudio/core/costmodel.h"
#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/inputlimits.h"
#include "mlastudio/core/report.h"
#include "mlastudio/core/serving.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

using namespace mlastudio::core;

namespace {

double relativeError(double a, double b)
{
    return std::fabs(a - b) / b;
}

// A tiny MLA model with every part of the layer, small enough to derive each operator by hand:
// d = 64, l = 3 (1 dense, 2 MoE), I = 128, I_e = 32, E = 8, E_s = 1, k = 2, V = 1000 (untied).
// Decode, B = 4, S = 1 (T = 4), L = 128, BF16 (2 bytes) on an H100: every GEMM operand fits on chip.
Parameters tiny()
{
    Parameters p = testutil::params("deepseek-v3", "h100-sxm");
    ModelConfig &m = p.model;
    m.hiddenSize = 64;
    m.numLayers = 3;
    m.numHeads = 4;
    m.numKvHeads = 4;
    m.qkNopeHeadDim = 16;
    m.qkRopeHeadDim = 8;
    m.vHeadDim = 16;
    m.kvLoraRank = 32;
    m.qLoraRank = 0;
    m.intermediateSize = 128;
    m.moeIntermediateSize = 32;
    m.routedExperts = 8;
    m.sharedExperts = 1;
    m.expertsPerToken = 2;
    m.firstDenseLayers = 1;
    m.vocabSize = 1000;
    m.tiedEmbeddings = false;
    p.workload = {Phase::Decode, 4, 128, 1};
    p.scope = Scope::Model;
    return p;
}

const OperatorResult *find(const StepResult &r, OperatorKind kind)
{
    for (const OperatorResult &o : r.operators)
        if (o.cost.kind == kind)
            return &o;
    return nullptr;
}

bool hasIssue(const std::vector<ValidationIssue> &issues, const std::string &field, const std::string &text)
{
    for (const ValidationIssue &i : issues)
        if (i.field == field && i.message.find(text) != std::string::npos)
            return true;
    return false;
}

bool near(double a, double b)
{
    return std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b));
}

} // namespace

TEST_CASE(totalsMatchPublishedWithin3Percent)
{
    // Published totals: DeepSeek-V3 671B (without the 14B MTP module), V2 236B, V2-Lite 15.7B,
    // Llama-3.1-70B 70.6B, Kimi K2 1.04T; and the other shipped presets.
    const struct {
        const char *id;
        double published;
    } models[] = {{"deepseek-v3", 671e9}, {"deepseek-r1", 671e9}, {"deepseek-v2", 236e9}, {"deepseek-v2-lite", 15.7e9},
                  {"llama-3.1-70b", 70.6e9}, {"kimi-k2", 1.04e12}, {"llama-65b", 65.2e9}, {"deepseek-67b", 67e9}};
    for (const auto &m : models) {
        const ModelConfig c = testutil::params(m.id).model;
        CHECK_MSG(relativeError(modelParameterCount(c), m.published) < 0.03,
                  std::string(m.id) + ": " + std::to_string(modelParameterCount(c)));
        CHECK_EQ(c.totalParams, m.published);  // the preset's informational figure is the published one
    }
}

TEST_CASE(deepSeekV3TotalByHand)
{
    // Attention 187,105,280 per layer (§3) + norms 2·7168 + 1536 + 512; 3 dense layers of
    // 3·7168·18432; 58 MoE layers of (256 + 1)·3·7168·2048 + router 7168·256; embeddings and an
    // untied LM head 2·129280·7168; final norm 7168.
    const double attention = 187105280.0 + 2 * 7168 + 1536 + 512;
    const double dense = 3.0 * 7168 * 18432;
    const double moe = 257.0 * 3 * 7168 * 2048 + 7168.0 * 256;
    const double total = 2.0 * 129280 * 7168 + 7168 + 61 * attention + 3 * dense + 58 * moe;
    CHECK_EQ(modelParameterCount(testutil::params("deepseek-v3").model), total);
    // Tied embeddings count the matrix once; a dense model (no experts) has the dense FFN everywhere.
    ModelConfig tied = testutil::params("deepseek-v3").model;
    tied.tiedEmbeddings = true;
    CHECK_EQ(modelParameterCount(tied), total - 129280.0 * 7168);
    const ModelConfig llama = testutil::params("llama-3.1-70b").model;
    const double llamaLayer = 8192.0 * 8192 * 2 + 8192.0 * 8 * 256 + 2 * 8192 + 3.0 * 8192 * 28672;
    CHECK_EQ(modelParameterCount(llama), 2.0 * 128256 * 8192 + 8192 + 80 * llamaLayer);
}

TEST_CASE(expectedDistinctExperts)
{
    // One token touches exactly k experts.
    CHECK_EQ(expectedDistinctExperts(256, 8, 1), 8.0);
    // T = E: E·(1 − (1 − k/E)^E), about E·(1 − e^−k) for large E.
    const double atE = expectedDistinctExperts(256, 8, 256);
    CHECK_EQ(atE, 256 * (1 - std::pow(1 - 8.0 / 256, 256)));
    CHECK(std::fabs(atE - 256 * (1 - std::exp(-8.0))) < 0.1);
    // T → ∞: every expert.
    CHECK(std::fabs(expectedDistinctExperts(256, 8, 1e6) - 256.0) < 1e-9);
    // Monotone in T, never above E, 0 without experts or tokens.
    double last = 0.0;
    for (double t : {1.0, 2.0, 4.0, 16.0, 64.0, 1024.0}) {
        const double e = expectedDistinctExperts(160, 6, t);
        CHECK(e > last && e <= 160.0);
        last = e;
    }
    CHECK_EQ(expectedDistinctExperts(0, 8, 10), 0.0);
    CHECK_EQ(expectedDistinctExperts(64, 6, 0), 0.0);
    // k = E: every token touches all experts.
    CHECK_EQ(expectedDistinctExperts(8, 8, 3), 8.0);
}

TEST_CASE(tinyModelOperatorsByHand)
{
    const StepResult r = evaluate(tiny(), Scheme::MlaReuse);
    // ffn_dense, 1 layer: T·d·3·I = 4·64·3·128 MACs; W 3·64·128·2 B; A 4·64·2; gate/up out and back in
    // 4·4·128·2, output 4·64·2.
    const OperatorResult *dense = find(r, OperatorKind::FfnDense);
    CHECK(dense != nullptr);
    CHECK_EQ(dense->cost.macs, 98304.0);
    CHECK_EQ(dense->cost.flops, 196608.0);
    CHECK_EQ(dense->cost.weightBytes, 49152.0);
    CHECK_EQ(dense->cost.dramBytes, 512.0 + 49152.0 + 4096.0 + 512.0);
    CHECK_EQ(dense->cost.launches, 2.0);
    CHECK_EQ(dense->cost.layers, 1.0);
    // moe_router, 2 layers: 4·64·8 MACs, W 64·8·2, out 4·8·2 per layer.
    const OperatorResult *router = find(r, OperatorKind::MoeRouter);
    CHECK_EQ(router->cost.macs, 2 * 2048.0);
    CHECK_EQ(router->cost.dramBytes, 2 * (512.0 + 1024.0 + 64.0));
    // moe_shared, 2 layers: width E_s·I_e = 32; 4·64·3·32 MACs, W 3·64·32·2 per layer.
    const OperatorResult *shared = find(r, OperatorKind::MoeShared);
    CHECK_EQ(shared->cost.macs, 2 * 24576.0);
    CHECK_EQ(shared->cost.dramBytes, 2 * (512.0 + 12288.0 + 4 * 4 * 32 * 2 + 512.0));
    // moe_routed: T·k = 8 token-expert pairs, 8·64·3·32 MACs; the weights of
    // E_touched(4) = 8·(1 − (1 − 2/8)^4) = 5.46875 experts of 3·64·32·2 B each, per layer.
    const OperatorResult *routed = find(r, OperatorKind::MoeRouted);
    CHECK_EQ(routed->cost.expertsTouched, 5.46875);
    CHECK_EQ(routed->cost.expertsTouched, expectedDistinctExperts(8, 2, 4));
    CHECK_EQ(routed->cost.macs, 2 * 49152.0);
    CHECK_EQ(routed->cost.weightBytes, 2 * 5.46875 * 12288.0);
    CHECK_EQ(routed->cost.dramBytes, 2 * (8 * 64 * 2 + 5.46875 * 12288.0 + 8 * 4 * 32 * 2 + 8 * 64 * 2));
    // embedding: T rows of d weights read, T·d activations written; lm_head: T·d·V MACs, W d·V.
    const OperatorResult *embedding = find(r, OperatorKind::Embedding);
    CHECK_EQ(embedding->cost.flops, 0.0);
    CHECK_EQ(embedding->cost.weightBytes, 512.0);
    CHECK_EQ(embedding->cost.dramBytes, 1024.0);
    const OperatorResult *head = find(r, OperatorKind::LmHead);
    CHECK_EQ(head->cost.macs, 4.0 * 64 * 1000);
    CHECK_EQ(head->cost.dramBytes, 512.0 + 128000.0 + 8000.0);
    CHECK_EQ(head->cost.launches, 1.0);
    // Prefill needs the logits of the last token of each request only: T_lm = B.
    Parameters prefill = tiny();
    prefill.workload.phase = Phase::Prefill;
    // (The result is named: find() points into it, and CHECK_EQ reads after the full expression.)
    const StepResult prefillResult = evaluate(prefill, Scheme::MlaReuse);
    CHECK_EQ(find(prefillResult, OperatorKind::LmHead)->cost.macs, 4.0 * 64 * 1000);
    // In prefill, T = 4·128 tokens touch (almost) every expert.
    CHECK(std::fabs(find(prefillResult, OperatorKind::MoeRouted)->cost.expertsTouched - 8.0) < 1e-9);
    // The whole model's weights: attention + 3·d·I + 2·(d·E + 9·3·d·I_e) + 2·V·d, at 2 bytes.
    const double attention = attentionWeightElementsPerLayer(tiny().model, Scheme::MlaReuse) * 3;
    const double rest = 3.0 * 64 * 128 + 2 * (64.0 * 8 + 9 * 3.0 * 64 * 32) + 2 * 1000.0 * 64;
    CHECK_EQ(ffnAndEmbeddingWeightElements(tiny().model), rest);
    CHECK_EQ(r.weightBytes, (attention + rest) * 2);
    CHECK_EQ(r.perDevice.weightBytes, r.weightBytes);
    CHECK_EQ(r.dramNeededBytes, r.weightBytes + r.kvCacheBytes);
}

TEST_CASE(stepScopeStaysAttentionOnly)
{
    // Scope::Step is attention only: no FFN operator, and the attention operators of the whole model
    // are exactly those of the step; attention share is 1 outside Scope::Model.
    for (const char *model : {"deepseek-v3", "deepseek-v2-lite", "llama-3.1-70b"}) {
        Parameters p = testutil::params(model);
        p.workload.batch = 16;
        const Scheme scheme = p.model.kvLoraRank > 0 ? Scheme::MlaReuse : Scheme::Gqa;
        const StepResult step = evaluate(p, scheme);
        for (const OperatorResult &o : step.operators)
            CHECK(isAttentionOperator(o.cost.kind));
        CHECK_EQ(step.attentionTimeShare, 1.0);
        CHECK_EQ(step.weightBytes, attentionWeightBytes(p.model, scheme, p.precision));
        p.scope = Scope::Model;
        const StepResult whole = evaluate(p, scheme);
        CHECK(whole.operators.size() > step.operators.size());
        for (std::size_t i = 0; i < step.operators.size(); ++i) {
            CHECK(whole.operators[i].cost.kind == step.operators[i].cost.kind);
            CHECK_EQ(whole.operators[i].timeS, step.operators[i].timeS);
        }
        CHECK(near(whole.attentionTimeS, step.timeS));
        CHECK(near(whole.attentionTimeShare, step.timeS / whole.timeS));
        CHECK(whole.attentionTimeShare > 0.0 && whole.attentionTimeShare < 1.0);
        CHECK(whole.attentionEnergyShare > 0.0 && whole.attentionEnergyShare < 1.0);
        CHECK_EQ(whole.weightBytes, modelWeightBytes(p.model, scheme, p.precision));
        // The whole model's weights are the parameter count less the norms, at 2 bytes each.
        CHECK(relativeError(whole.weightBytes / 2, modelParameterCount(p.model)) < 0.001);
    }
    // Decode of DeepSeek-V3 at B = 1 reads every weight of the 8 + 1 experts a token touches: the
    // step is dominated by MoE weight traffic, attention is a minor share.
    Parameters v3 = testutil::params();
    v3.scope = Scope::Model;
    const StepResult r = evaluate(v3, Scheme::MlaReuse);
    CHECK_EQ(find(r, OperatorKind::MoeRouted)->cost.expertsTouched, 8.0);
    CHECK_EQ(find(r, OperatorKind::MoeRouted)->cost.weightBytes, 58 * 8 * 3.0 * 7168 * 2048 * 2);
    CHECK(r.attentionTimeShare < 0.5);
    // docs/model.md §13's worked example: 1.69x end to end against 3.19x for attention alone.
    Parameters mhaWhole = v3;
    const StepResult mha = evaluate(mhaWhole, Scheme::Mha);
    CHECK(std::fabs(mha.timeS / r.timeS - 1.69) < 0.005);
    CHECK(std::fabs(mha.attentionTimeS / r.attentionTimeS - 3.19) < 0.005);
    CHECK(!r.fitsInDram);  // 671B parameters at 2 bytes do not fit one H100
    // Expert parallelism changes nothing in the attention-only step.
    Parameters a = testutil::params(), b = testutil::params();
    a.parallel = {1, 8, 1};
    b.parallel = {1, 8, 8};
    a.workload.batch = b.workload.batch = 8;
    CHECK_EQ(evaluate(a, Scheme::MlaReuse).timeS, evaluate(b, Scheme::MlaReuse).timeS);
    CHECK_EQ(evaluate(a, Scheme::MlaReuse).perDevice.weightBytes, evaluate(b, Scheme::MlaReuse).perDevice.weightBytes);
}

TEST_CASE(expertParallelismByHand)
{
    // DeepSeek-V3 on 8 H100s: DP = 8 attention, EP = 8 experts, B = 8 decode (one token per device).
    Parameters p = testutil::params();
    p.scope = Scope::Model;
    p.parallel = {1, 8, 8};
    p.workload.batch = 8;
    const StepResult r = evaluate(p, Scheme::MlaReuse);
    // Each device holds 32 whole routed experts, the shared expert, the router, 3 dense FFNs, the
    // embedding and the LM head, and all attention weights (DP): per MoE layer 32·3·7168·2048 + ...
    const double expert = 3.0 * 7168 * 2048;
    const double rest = 2.0 * 129280 * 7168 + 3 * 3.0 * 7168 * 18432 + 58 * (7168.0 * 256 + expert + 32 * expert);
    CHECK_EQ(r.perDevice.weightBytes, attentionWeightBytes(p.model, Scheme::MlaReuse, p.precision) + rest * 2);
    CHECK_EQ(deviceWeightBytes(p, Scheme::MlaReuse), r.perDevice.weightBytes);
    // The device's 32 experts see the EP group's 8 tokens: 32·(1 − (1 − 8/256)^8).
    const OperatorResult *routed = find(r, OperatorKind::MoeRouted);
    CHECK_EQ(routed->cost.expertsTouched, expectedDistinctExperts(256, 8, 8) / 8);
    CHECK(near(routed->cost.expertsTouched, 32 * (1 - std::pow(1 - 8.0 / 256, 8))));
    // ... and compute for 8 token-expert pairs: the device's own token's k = 8 on average.
    CHECK_EQ(routed->cost.macs, 58 * 8.0 * expert);
    // All-to-all: 1 token · k · d · 2 B each way per MoE layer.
    const double bytes = 1.0 * 8 * 7168 * 2;
    CHECK_EQ(allToAllTimeS(8, bytes, 450e9, 0.47e-6), 2 * (7.0 / 8 * bytes / 450e9 + 7 * 0.47e-6));
    CHECK_EQ(allToAllTimeS(1, bytes, 450e9, 0.47e-6), 0.0);
    const OperatorResult *a2a = find(r, OperatorKind::AllToAll);
    CHECK(a2a != nullptr);
    CHECK(near(a2a->timeS, 58 * allToAllTimeS(8, bytes, 450e9, 0.47e-6)));
    CHECK(a2a->bound == Bound::Interconnect);
    CHECK_EQ(a2a->cost.launches, 116.0);
    CHECK(near(r.communicationTimeS, a2a->timeS));  // DP attention: no all-reduce
    CHECK(find(r, OperatorKind::AllReduce) == nullptr);
    // Without EP the same 8 devices each hold all 256 experts and read those its own token touches.
    Parameters noEp = p;
    noEp.parallel.expert = 1;
    const StepResult d = evaluate(noEp, Scheme::MlaReuse);
    CHECK_EQ(find(d, OperatorKind::MoeRouted)->cost.expertsTouched, 8.0);
    CHECK(find(d, OperatorKind::AllToAll) == nullptr);
    CHECK_EQ(d.perDevice.weightBytes - r.perDevice.weightBytes, 224 * 58 * expert * 2);
    // TP = 8: dense FFN, shared experts, vocabulary and (at EP = 1) each expert split by TP, and an
    // all-reduce after every FFN; the routed experts' work per device is T·k/TP pairs.
    Parameters tp = testutil::params();
    tp.scope = Scope::Model;
    tp.parallel = {8, 1, 1};
    tp.workload.batch = 8;
    const StepResult t = evaluate(tp, Scheme::MlaReuse);
    const OperatorResult *ffnAr = find(t, OperatorKind::FfnAllReduce);
    CHECK(ffnAr != nullptr);
    CHECK(near(ffnAr->timeS, 61 * allReduceTimeS(8, 8 * 7168 * 2, 450e9, 0.47e-6)));
    CHECK_EQ(find(t, OperatorKind::MoeRouted)->cost.macs, 58 * (8.0 * 8 / 8) * expert / 8);
    CHECK_EQ(find(t, OperatorKind::MoeRouted)->cost.expertsTouched, expectedDistinctExperts(256, 8, 8));
    CHECK(near(t.communicationTimeS, ffnAr->timeS + find(t, OperatorKind::AllReduce)->timeS));
}

TEST_CASE(expertParallelErrorsNameTheField)
{
    Parameters p = testutil::params();
    p.scope = Scope::Model;
    p.parallel = {1, 3, 3};
    CHECK(hasIssue(validate(p), "expert_parallel", "must divide the number of routed experts (256), got 3"));
    p.parallel = {1, 1, 8};
    CHECK(hasIssue(validate(p), "expert_parallel", "must divide the devices TP · DP (1 · 1 = 1), got 8"));
    p.parallel = {1, 1, 0};
    CHECK(hasIssue(validate(p), "expert_parallel", "must be an integer from 1 to 4096, got 0"));
    p.parallel = {1, 1, -4};
    CHECK(hasIssue(validate(p), "expert_parallel", "must be an integer from 1"));
    const std::vector<ValidationIssue> issues = validate(p);
    CHECK_EQ(issueSubject(issues.front(), IssueStyle::CommandLine), std::string("--ep"));
    Parameters dense = testutil::params("llama-3.1-70b");
    dense.parallel = {1, 2, 2};
    CHECK(hasIssue(validate(dense), "expert_parallel", "must be 1 for a model without routed experts"));
    p.parallel = {2, 4, 8};
    CHECK(validate(p).empty());
    // k must lie in 1..E for the whole model.
    p.model.expertsPerToken = 300;
    CHECK(hasIssue(validate(p), "num_experts_per_tok", "must be from 1 to the number of routed experts (256), got 300"));
}

TEST_CASE(moreBandwidthNeverSlowsTheWholeModel)
{
    for (const char *model : {"deepseek-v3", "deepseek-v2-lite", "llama-3.1-70b", "kimi-k2"})
        for (Phase phase : {Phase::Decode, Phase::Prefill})
            for (bool derates : {false, true})
                for (int batch : {1, 32}) {
                    Parameters p = testutil::params(model);
                    p.scope = Scope::Model;
                    p.applyDerates = derates;
                    p.workload.phase = phase;
                    p.workload.batch = batch;
                    p.workload.kvLength = phase == Phase::Prefill ? 2048 : 8192;
                    if (p.model.routedExperts > 0)
                        p.parallel = {1, 8, 8};
                    const Scheme scheme = p.model.kvLoraRank > 0 ? Scheme::MlaReuse : Scheme::Gqa;
                    double last = evaluate(p, scheme).timeS;
                    for (double f : {1.5, 2.0, 4.0, 16.0}) {
                        Parameters q = p;
                        q.hardware.dramBandwidthBytesPerS *= f;
                        const double t = evaluate(q, scheme).timeS;
                        CHECK_MSG(t <= last, std::string(model) + " bandwidth x" + std::to_string(f));
                        last = t;
                        Parameters link = p;
                        link.hardware.interconnectBandwidthBytesPerS *= f;
                        CHECK(evaluate(link, scheme).timeS <= evaluate(p, scheme).timeS);
                    }
                    // The sweep fast path agrees with evaluate().
                    CHECK(near(evaluateTotals(p, scheme).timeS, evaluate(p, scheme).timeS));
                    CHECK(near(evaluateTotals(p, scheme).energyJ, evaluate(p, scheme).energyJ));
                }
}

TEST_CASE(scopeModelReadsBackAndServes)
{
    CHECK(scopeFromId("model") == Scope::Model);
    CHECK_EQ(std::string(scopeId(Scope::Model)), std::string("model"));
    Parameters p = testutil::params();
    p.scope = Scope::Model;
    p.parallel = {2, 4, 8};
    const Parameters back = parametersFromJson(parametersToJson(p), Parameters{});
    CHECK(back.scope == Scope::Model);
    CHECK_EQ(back.parallel.expert, 8);
    CHECK(parametersToJson(back) == parametersToJson(p));
    nlohmann::json bad = parametersToJson(p);
    bad["parallel"]["expert"] = 0;
    CHECK_THROWS(std::invalid_argument, parametersFromJson(bad, Parameters{}));
    // Serving metrics under the whole model: every step costs the whole model, so TTFT and TPOT exceed
    // the attention-only ones, and TPOT is the decode step's time at that context.
    Parameters step = testutil::params();
    step.workload.batch = 4;
    Parameters whole = step;
    whole.scope = Scope::Model;
    const ServingResult a = evaluateServing(step, Scheme::MlaReuse, {1000, 1, 0});
    const ServingResult w = evaluateServing(whole, Scheme::MlaReuse, {1000, 1, 0});
    CHECK(w.ttftS > a.ttftS);
    Parameters prefill = whole;
    prefill.workload.phase = Phase::Prefill;
    prefill.workload.kvLength = 1000;
    CHECK(near(w.ttftS, evaluate(prefill, Scheme::MlaReuse).timeS));
    Parameters kernel = step;
    kernel.scope = Scope::Kernel;
    CHECK(!validateServing(kernel, {1000, 1, 0}).empty());
}

CHECK_MAIN()
