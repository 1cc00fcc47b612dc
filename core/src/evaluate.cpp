// SPDX-License-Identifier: MIT
#include "mlastudio/core/evaluate.h"

#include "mlastudio/core/inputlimits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mlastudio::core {

std::string_view boundId(Bound bound)
{
    switch (bound) {
    case Bound::Compute: return "compute";
    case Bound::Dram: return "dram";
    case Bound::Sram: return "sram";
    case Bound::Latency: return "latency";
    case Bound::Interconnect: return "interconnect";
    }
    return "?";
}

namespace {

std::string joinIssues(const std::vector<ValidationIssue> &issues)
{
    std::string text;
    for (const ValidationIssue &i : issues) {
        if (!text.empty())
            text += "; ";
        text += i.field + ": " + i.message;
    }
    return text;
}

std::string format(const char *fmt, double a, double b = 0.0, double c = 0.0)
{
    char buf[256];
    std::snprintf(buf, sizeof buf, fmt, a, b, c);
    return buf;
}

} // namespace

EffectiveRoofs effectiveRoofs(const Parameters &p, KernelClass kernelClass)
{
    const HardwareConfig &hw = p.hardware;
    EffectiveRoofs r;
    r.sramBytesPerS = hw.sramBandwidthBytesPerS;
    if (p.applyDerates) {
        const bool attention = kernelClass == KernelClass::Attention;
        r.computeEfficiency = attention ? hw.attentionComputeDerate : hw.computeDerate;
        r.bandwidthEfficiency = attention ? hw.attentionBandwidthDerate : hw.bandwidthDerate;
        r.latencyFloorS = hw.kernelLatencyFloorS;
        r.tileRows = hw.mmaTileRows;
        r.partialOverlap = true;
    }
    r.dramBytesPerS = r.bandwidthEfficiency * hw.dramBandwidthBytesPerS;
    return r;
}

double effectivePeakFlops(const Parameters &p, KernelClass kernelClass, int bits)
{
    return effectiveRoofs(p, kernelClass).computeEfficiency * peakFlopsForBits(p.hardware, bits);
}

namespace {

double flopsAt16(const OperatorCost &c, const HardwareConfig &hw, double etaGemm, double etaAttention)
{
    const double own = (c.executedFlops - c.fusedGemmFlops) * hw.peakFlopsBf16 / peakFlopsForBits(hw, c.computeBits)
                       / (c.kernelClass == KernelClass::Attention ? etaAttention : etaGemm);
    if (c.fusedGemmFlops <= 0.0)
        return own;
    return own + c.fusedGemmFlops * hw.peakFlopsBf16 / peakFlopsForBits(hw, c.fusedGemmBits) / etaGemm;
}

struct Timing {
    double compute, dram, sram, latency, link, time;
};

// The all-reduce (docs/model.md §12): 2(N−1)/N · bytes / BW_link + (N−1) · t_link per launch.
[[gnu::noinline]] Timing collectiveTiming(const OperatorCost &c, const HardwareConfig &hw)
{
    Timing t{};
    const double n = c.collectiveDevices;
    t.link = 2.0 * (n - 1.0) / n * c.linkBytes / hw.interconnectBandwidthBytesPerS;
    t.latency = c.launches * (n - 1.0) * hw.interconnectLatencyS;
    t.time = t.link + t.latency;
    return t;
}

Timing timingOf(const OperatorCost &c, const HardwareConfig &hw, const EffectiveRoofs &r, double etaGemm,
                double etaAttention)
{
    if (c.collectiveDevices > 1.0) [[unlikely]]
        return collectiveTiming(c, hw);
    Timing t;
    t.link = 0.0;
    t.compute = flopsAt16(c, hw, etaGemm, etaAttention) / hw.peakFlopsBf16;
    t.dram = c.dramBytes / r.dramBytesPerS;
    t.sram = c.sramBytes / r.sramBytesPerS;
    // Each launch costs a fixed t_0 (launch, prologue, tail) on top of its roofline time: no kernel is
    // shorter than t_0, and small kernels are dominated by it, as published kernel timings show.
    t.latency = c.launches * r.latencyFloorS;
    t.time = t.latency + std::max(overlappedTimeS(t.compute, t.dram, r.partialOverlap), t.sram);
    return t;
}

struct Energy {
    double compute, dram, sram, statics;
    double total() const { return compute + dram + sram + statics; }
};

// E = MACs·e_MAC,b + DRAM bytes·e_DRAM + on-chip bytes·e_SRAM + P_static·t
Energy energyOf(const OperatorCost &c, const HardwareConfig &hw, double timeS)
{
    return {c.macs * energyPerMacForBits(hw, c.computeBits), c.dramBytes * hw.energyPerDramByteJ,
            c.sramBytes * hw.energyPerSramByteJ, hw.staticPowerW * timeS};
}

OperatorResult costWithRoofs(const OperatorCost &c, const Parameters &p, const EffectiveRoofs &r, double etaGemm,
                             double etaAttention)
{
    const HardwareConfig &hw = p.hardware;
    const Timing t = timingOf(c, hw, r, etaGemm, etaAttention);
    OperatorResult o;
    o.cost = c;
    o.computeTimeS = t.compute;
    o.dramTimeS = t.dram;
    o.sramTimeS = t.sram;
    o.latencyTimeS = t.latency;
    o.linkTimeS = t.link;
    o.timeS = t.time;
    // Ties go to compute: an operator is memory-bound only if memory strictly takes longer.
    const double roofTime = t.time - t.latency;
    if (c.collectiveDevices > 1.0)
        o.bound = Bound::Interconnect;
    else if (o.latencyTimeS > roofTime)
        o.bound = Bound::Latency;
    else if (o.dramTimeS > o.computeTimeS && o.dramTimeS >= o.sramTimeS)
        o.bound = Bound::Dram;
    else if (o.sramTimeS > o.computeTimeS && o.sramTimeS > o.dramTimeS)
        o.bound = Bound::Sram;
    const Energy e = energyOf(c, hw, o.timeS);
    o.computeEnergyJ = e.compute;
    o.dramEnergyJ = e.dram;
    o.sramEnergyJ = e.sram;
    o.staticEnergyJ = e.statics;
    o.energyJ = e.total();
    o.intensityFlopPerByte = c.dramBytes > 0.0 ? c.flops / c.dramBytes : 0.0;
    return o;
}

// Both classes' roofs, computed once per evaluation.
struct RoofPair {
    EffectiveRoofs gemm, attention;
    explicit RoofPair(const Parameters &p)
        : gemm(effectiveRoofs(p, KernelClass::Gemm)), attention(effectiveRoofs(p, KernelClass::Attention))
    {
    }
    const EffectiveRoofs &of(KernelClass k) const { return k == KernelClass::Attention ? attention : gemm; }
    OperatorResult cost(const OperatorCost &c, const Parameters &p) const
    {
        return costWithRoofs(c, p, of(c.kernelClass), gemm.computeEfficiency, attention.computeEfficiency);
    }
};

void addNotes(StepResult &r, const Parameters &p)
{
    const OnChipPlan &oc = r.onChip;
    const double mib = 1024.0 * 1024.0;
    r.notes.push_back(format("On-chip memory %.2f MiB; the largest operator working set is %.2f MiB.",
                             oc.capacityBytes / mib, oc.workingSetBytes / mib));
    if (oc.residentCacheFraction >= 1.0)
        r.notes.push_back("The whole KV/latent cache stays resident on chip between steps: it is never read from DRAM.");
    else if (oc.residentCacheFraction > 0.0)
        r.notes.push_back(format("%.1f%% of the KV/latent cache (%.2f MiB) is pinned on chip; the rest is read from DRAM every step.",
                                 100.0 * oc.residentCacheFraction, oc.residentCacheBytes / mib));
    else
        r.notes.push_back("No on-chip capacity is left for the KV/latent cache: it is read from DRAM every step.");
    if (oc.attentionPasses > 1.0)
        r.notes.push_back(format("The query state of all heads sharing a cache entry does not fit on chip: the cache is streamed %.0f times per step.",
                                 oc.attentionPasses));
    else if (r.scheme == Scheme::MlaReuse || r.scheme == Scheme::MlaReuseMerged)
        r.notes.push_back("Each latent tile is read once and shared by all heads (it serves as both K and V).");
    if (r.scheme == Scheme::MlaRecompute) {
        r.notes.push_back(oc.recomputeFused
                              ? "Up-projected K/V tiles stay on chip (fused recompute)."
                              : "On-chip memory cannot hold one up-projected K/V token for all heads: K/V spill to DRAM and are read back.");
        if (oc.upProjectionWeightPasses > 1.0)
            r.notes.push_back(format("W_UK/W_UV do not fit on chip next to a latent tile: they are re-read %.0f times per step (once per tile of the cached sequence).",
                                     oc.upProjectionWeightPasses));
        else
            r.notes.push_back("W_UK/W_UV (or the latent) fit on chip: the up-projection weights are read once per step.");
    }
    for (const OperatorResult &o : r.operators) {
        if (o.cost.kind != OperatorKind::Attention)
            continue;
        if (o.cost.tilePadding > 1.0)
            r.notes.push_back(format("Tensor-core tiles: %.0f query rows share each KV tile and are padded to %.0f "
                                     "rows, so the attention kernel executes %.2fx its useful QK/PV FLOPs.",
                                     o.cost.queryRowsPerTile, o.cost.queryRowsPerTile * o.cost.tilePadding,
                                     o.cost.tilePadding));
        if (o.bound == Bound::Latency)
            r.notes.push_back(format("The attention kernel is shorter than the latency floor (%.1f us per launch): "
                                     "its time is the floor.", p.hardware.kernelLatencyFloorS * 1e6));
    }
    if (p.parallel.tensor > 1)
        r.notes.push_back(format(isMlaScheme(r.scheme)
                                     ? "Tensor parallel over %.0f devices: each holds %.0f heads and the whole latent cache of its requests (all heads share it)."
                                     : "Tensor parallel over %.0f devices: each holds %.0f heads and their share of the KV cache.",
                                 p.parallel.tensor, double(p.model.numHeads / p.parallel.tensor)));
    if (r.communicationTimeS > 0.0 && r.scope == Scope::Model)
        r.notes.push_back(format("Communication (all-reduces after attention and FFN, expert all-to-all) takes %.3g us per step (%.1f%% of it).",
                                 r.communicationTimeS * 1e6, 100.0 * r.communicationTimeS / r.timeS));
    else if (r.communicationTimeS > 0.0)
        r.notes.push_back(format("The all-reduce after each output projection takes %.3g us per step (%.1f%% of it).",
                                 r.communicationTimeS * 1e6, 100.0 * r.communicationTimeS / r.timeS));
    if (r.scope == Scope::Model) {
        r.notes.push_back(format("Whole model: attention takes %.1f%% of the step time and %.1f%% of its energy.",
                                 100.0 * r.attentionTimeShare, 100.0 * r.attentionEnergyShare));
        for (const OperatorResult &o : r.operators)
            if (o.cost.kind == OperatorKind::MoeRouted)
                r.notes.push_back(format("Each MoE layer reads the weights of %.3g of this device's %.0f routed experts "
                                         "(expected distinct experts under uniform routing).",
                                         o.cost.expertsTouched,
                                         double(p.model.routedExperts) / std::max(1, p.parallel.expert)));
    }
    if (p.parallel.expert > 1 && r.scope != Scope::Model)
        r.notes.push_back(format("Expert parallelism (EP = %.0f) applies to the MoE layers of the whole-model scope; "
                                 "this evaluation is attention only.", p.parallel.expert));
    if (r.idleDevices > 0)
        r.notes.push_back(format("%.0f of %.0f devices are idle: data parallelism %.0f exceeds the batch.", r.idleDevices,
                                 r.devices, p.parallel.data));
    if (r.scope == Scope::Kernel)
        r.notes.push_back("Kernel scope: the attention kernel of one layer only (no projections, no cache append), "
                          "its cache read from DRAM as in a kernel benchmark.");
    if (!r.fitsInDram)
        r.notes.push_back(format("Does not fit: weights and KV cache need %.1f GB, DRAM holds %.1f GB (largest batch that fits: %.0f).",
                                 r.dramNeededBytes / 1e9, p.hardware.dramCapacityBytes / 1e9, double(r.maxBatch)));
}

} // namespace

ModelError::ModelError(std::vector<ValidationIssue> issues)
    : std::runtime_error(joinIssues(issues)), m_issues(std::move(issues))
{
}

std::vector<ValidationIssue> validate(const Parameters &p)
{
    std::vector<ValidationIssue> out;
    // Every number against its range (inputlimits.cpp); the table keeps every product finite.
    for (const InputLimit &limit : allInputLimits()) {
        const double v = limit.value(p);
        if (!withinLimit(limit, v))
            out.push_back({std::string(limit.id), limitMessage(limit, v, 1.0, limit.siUnit), &limit, true, v});
    }
    // Rules across fields, phrased without units so every front end can show them as they are.
    const ModelConfig &m = p.model;
    if (m.numKvHeads >= 1 && m.numHeads >= 1 && m.numHeads % m.numKvHeads != 0)
        out.push_back({"num_kv_heads",
                       "must divide the number of heads (" + std::to_string(m.numHeads) + "), got "
                           + std::to_string(m.numKvHeads),
                       inputLimit(Field::KvHeads), false, double(m.numKvHeads)});
    const Parallelism &par = p.parallel;
    if (par.tensor > 1 && m.numHeads >= 1 && m.numHeads % par.tensor != 0)
        out.push_back({"tensor_parallel",
                       "must divide the number of heads (" + std::to_string(m.numHeads) + "), got "
                           + std::to_string(par.tensor),
                       inputLimit(Field::TensorParallel), false, double(par.tensor)});
    if (par.tensor > 1 && !(p.hardware.interconnectBandwidthBytesPerS > 0.0))
        out.push_back({"interconnect.bandwidth",
                       "must be greater than 0 for tensor parallelism (" + std::to_string(par.tensor)
                           + " devices); the hardware " + p.hardware.id + " has no interconnect",
                       inputLimit(Field::InterconnectBandwidth), false, p.hardware.interconnectBandwidthBytesPerS});
    // Expert parallelism regroups the TP · DP devices for the routed experts (docs/model.md §13).
    const int ep = par.expert, devices = std::max(1, par.tensor) * std::max(1, par.data);
    if (ep > 1) {
        if (m.routedExperts < 1)
            out.push_back({"expert_parallel",
                           "must be 1 for a model without routed experts (n_routed_experts = 0), got " + std::to_string(ep),
                           inputLimit(Field::ExpertParallel), false, double(ep)});
        else if (m.routedExperts % ep != 0)
            out.push_back({"expert_parallel",
                           "must divide the number of routed experts (" + std::to_string(m.routedExperts) + "), got "
                               + std::to_string(ep),
                           inputLimit(Field::ExpertParallel), false, double(ep)});
        if (par.tensor >= 1 && par.data >= 1 && devices % ep != 0)
            out.push_back({"expert_parallel",
                           "must divide the devices TP · DP (" + std::to_string(par.tensor) + " · " + std::to_string(par.data)
                               + " = " + std::to_string(devices) + "), got " + std::to_string(ep),
                           inputLimit(Field::ExpertParallel), false, double(ep)});
        if (p.scope == Scope::Model && !(p.hardware.interconnectBandwidthBytesPerS > 0.0) && !(par.tensor > 1))
            out.push_back({"interconnect.bandwidth",
                           "must be greater than 0 for expert parallelism (" + std::to_string(ep)
                               + " devices); the hardware " + p.hardware.id + " has no interconnect",
                           inputLimit(Field::InterconnectBandwidth), false, p.hardware.interconnectBandwidthBytesPerS});
    }
    if (p.scope == Scope::Model && m.routedExperts >= 1 && m.expertsPerToken >= 0
        && (m.expertsPerToken < 1 || m.expertsPerToken > m.routedExperts))
        out.push_back({"num_experts_per_tok",
                       "must be from 1 to the number of routed experts (" + std::to_string(m.routedExperts) + "), got "
                           + std::to_string(m.expertsPerToken),
                       inputLimit("num_experts_per_tok"), false, double(m.expertsPerToken)});
    const Workload &w = p.workload;
    if (w.phase == Phase::Decode && w.queryLength >= 1 && w.kvLength >= 1 && w.queryLength > w.kvLength)
        out.push_back({"query_len",
                       "must be at most the KV length (" + std::to_string(w.kvLength) + "), got "
                           + std::to_string(w.queryLength),
                       inputLimit(Field::QueryLength), false, double(w.queryLength)});
    return out;
}

std::vector<ValidationIssue> validateScheme(const Parameters &p, Scheme scheme)
{
    std::vector<ValidationIssue> out;
    if (isMlaScheme(scheme) && p.model.kvLoraRank < 1)
        out.push_back({"kv_lora_rank",
                       std::string(schemeId(scheme)) + " needs a latent rank of at least 1; the model " + p.model.id
                           + " has none (give it a latent rank d_c to explore an MLA variant)",
                       inputLimit(Field::KvLoraRank), false, double(p.model.kvLoraRank)});
    // GQA's KV heads shard with the query heads, or are replicated once TP > n_kv: either way whole.
    const int tp = p.parallel.tensor, nkv = p.model.numKvHeads;
    if (scheme == Scheme::Gqa && tp > 1 && nkv >= 1 && (tp <= nkv ? nkv % tp != 0 : tp % nkv != 0))
        out.push_back({"tensor_parallel",
                       "must divide the KV heads (" + std::to_string(nkv) + ") or be a multiple of them for gqa, got "
                           + std::to_string(tp),
                       inputLimit(Field::TensorParallel), false, double(tp)});
    return out;
}

bool isApplicable(const Parameters &params, Scheme scheme)
{
    return validateScheme(params, scheme).empty();
}

double effectiveFlopsAt16(const OperatorCost &cost, const Parameters &params)
{
    return flopsAt16(cost, params.hardware, effectiveRoofs(params, KernelClass::Gemm).computeEfficiency,
                     effectiveRoofs(params, KernelClass::Attention).computeEfficiency);
}

OperatorResult costOperator(const OperatorCost &cost, const Parameters &params)
{
    return RoofPair(params).cost(cost, params);
}

StepTotals totalsOf(const StepCosts &costs, const Parameters &p)
{
    // The same timing and energy as evaluate(), without building the operator results.
    const RoofPair roofs(p);
    StepTotals t;
    for (int i = 0; i < costs.operatorCount; ++i) {
        const OperatorCost &c = costs.operators[std::size_t(i)];
        const double time = timingOf(c, p.hardware, roofs.of(c.kernelClass), roofs.gemm.computeEfficiency,
                                     roofs.attention.computeEfficiency).time;
        t.timeS += time;
        t.energyJ += energyOf(c, p.hardware, time).total();
        t.flops += c.flops;
        t.dramBytes += c.dramBytes;
    }
    if (costs.busyDevices != 1.0 || costs.idleDevices > 0.0)
        t.energyJ = t.energyJ * costs.busyDevices + p.hardware.staticPowerW * t.timeS * costs.idleDevices;
    t.tokensPerStep = costs.tokensPerStep;
    return t;
}

StepTotals evaluateTotals(const Parameters &params, Scheme scheme)
{
    return totalsOf(planStep(params, scheme), params);
}

StepResult evaluate(const Parameters &p, Scheme scheme)
{
    std::vector<ValidationIssue> issues = validate(p);
    if (issues.empty())
        issues = validateScheme(p, scheme);
    if (!issues.empty())
        throw ModelError(std::move(issues));

    const StepCosts costs = planStep(p, scheme);
    const RoofPair roofs(p);
    StepResult r;
    r.scheme = scheme;
    r.scope = p.scope;
    r.phase = p.workload.phase;
    r.onChip = costs.onChip;
    r.attentionParts.assign(costs.attentionParts.begin(), costs.attentionParts.begin() + costs.attentionPartCount);
    double timeByBound[5] = {0.0, 0.0, 0.0, 0.0, 0.0};
    for (int i = 0; i < costs.operatorCount; ++i) {
        const OperatorResult o = roofs.cost(costs.operators[std::size_t(i)], p);
        r.flops += o.cost.flops;
        r.dramBytes += o.cost.dramBytes;
        r.sramBytes += o.cost.sramBytes;
        r.timeS += o.timeS;
        r.computeEnergyJ += o.computeEnergyJ;
        r.dramEnergyJ += o.dramEnergyJ;
        r.sramEnergyJ += o.sramEnergyJ;
        r.staticEnergyJ += o.staticEnergyJ;
        r.energyJ += o.energyJ;
        timeByBound[int(o.bound)] += o.timeS;
        if (o.cost.collectiveDevices > 1.0)
            r.communicationTimeS += o.timeS;
        if (isAttentionOperator(o.cost.kind)) {
            r.attentionTimeS += o.timeS;
            r.attentionEnergyJ += o.energyJ;
        }
        r.operators.push_back(o);
    }
    r.bound = Bound(std::max_element(timeByBound, timeByBound + 5) - timeByBound);
    if (p.scope == Scope::Model) {
        r.attentionTimeShare = r.timeS > 0.0 ? r.attentionTimeS / r.timeS : 0.0;
        r.attentionEnergyShare = r.energyJ > 0.0 ? r.attentionEnergyJ / r.energyJ : 0.0;
    }
    // The operators are one device's; the system's energy is that of every busy device (exact when DP
    // divides B; the busiest device's figures otherwise), plus the static power of idle devices.
    if (costs.busyDevices != 1.0 || costs.idleDevices > 0.0) {
        const double k = costs.busyDevices;
        r.computeEnergyJ *= k;
        r.dramEnergyJ *= k;
        r.sramEnergyJ *= k;
        r.staticEnergyJ = r.staticEnergyJ * k + p.hardware.staticPowerW * r.timeS * costs.idleDevices;
        r.energyJ = r.computeEnergyJ + r.dramEnergyJ + r.sramEnergyJ + r.staticEnergyJ;
    }
    r.intensityFlopPerByte = r.dramBytes > 0.0 ? r.flops / r.dramBytes : 0.0;
    r.tokensPerStep = costs.tokensPerStep;
    r.tokensPerS = r.timeS > 0.0 ? r.tokensPerStep / r.timeS : 0.0;
    r.energyPerTokenJ = r.energyJ / r.tokensPerStep;

    const Workload &w = p.workload;
    r.kvCacheBytesPerToken = kvCacheBytesPerToken(p.model, scheme, p.precision);
    r.kvCacheBytes = r.kvCacheBytesPerToken * double(w.kvLength) * w.batch;
    r.weightBytes = p.scope == Scope::Model ? modelWeightBytes(p.model, scheme, p.precision)
                                            : attentionWeightBytes(p.model, scheme, p.precision);
    r.dramNeededBytes = dramNeededBytes(p, scheme);  // one device's
    const double perRequest = r.kvCacheBytesPerToken * double(w.kvLength);
    const double room = p.hardware.dramCapacityBytes - r.weightBytes;
    r.maxBatch = room > 0.0 ? static_cast<long long>(std::min(std::floor(room / perRequest), 1e15)) : 0;
    r.fitsInDram = r.dramNeededBytes <= p.hardware.dramCapacityBytes;
    r.devices = std::max(1, p.parallel.tensor) * std::max(1, p.parallel.data);
    r.idleDevices = int(costs.idleDevices);
    r.tokensPerSPerDevice = r.tokensPerS / r.devices;
    r.perDevice = {r.kvCacheBytesPerToken, r.weightBytes, r.dramNeededBytes, r.maxBatch};
    if (r.devices > 1) {
        const ModelConfig dm = deviceModel(p);
        DeviceMemory &d = r.perDevice;
        d.kvCacheBytesPerToken = kvCacheBytesPerToken(dm, scheme, p.precision);
        d.weightBytes = deviceWeightBytes(p, scheme);
        d.dramNeededBytes = r.dramNeededBytes;
        const double deviceRoom = p.hardware.dramCapacityBytes - d.weightBytes;
        const double devicePerRequest = d.kvCacheBytesPerToken * double(w.kvLength);
        d.maxBatch = deviceRoom > 0.0 ? static_cast<long long>(std::min(std::floor(deviceRoom / devicePerRequest), 1e15)) : 0;
        r.maxBatch = static_cast<long long>(std::min(double(d.maxBatch) * std::max(1, p.parallel.data), 1e15));
        r.fitsInDram = d.dramNeededBytes <= p.hardware.dramCapacityBytes;
    }
    addNotes(r, p);
    return r;
}

StepResult evaluateAuto(const Parameters &p)
{
    std::vector<ValidationIssue> issues = validate(p);
    if (issues.empty())
        issues = validateScheme(p, Scheme::MlaReuse);  // all MLA schemes need the same latent
    if (!issues.empty())
        throw ModelError(std::move(issues));
    StepResult best;
    bool first = true;
    for (Scheme s : kMlaSchemes) {
        StepResult r = evaluate(p, s);
        if (first || r.timeS < best.timeS) {
            best = std::move(r);
            first = false;
        }
    }
    best.autoSelected = true;
    best.notes.insert(best.notes.begin(), "auto picked " + std::string(schemeId(best.scheme))
                                              + ", the fastest MLA scheme for this phase.");
    return best;
}

bool isTie(double a, double b)
{
    return std::max(a, b) < (1.0 + kTieFraction) * std::min(a, b);
}

std::vector<const StepResult *> leadingResults(const std::vector<const StepResult *> &results)
{
    std::vector<const StepResult *> sorted;
    for (const StepResult *r : results)
        if (r)
            sorted.push_back(r);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const StepResult *a, const StepResult *b) { return a->tokensPerS > b->tokensPerS; });
    std::vector<const StepResult *> leaders;
    for (const StepResult *r : sorted)
        if (leaders.empty() || isTie(leaders.front()->tokensPerS, r->tokensPerS))
            leaders.push_back(r);
    return leaders;
}

} // namespace mlastudio::core
