// SPDX-License-Identifier: MIT
#include "mlastudio/core/report.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/inputlimits.h"
#include "mlastudio/core/sweep.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace mlastudio::core {

using nlohmann::json;

std::string phaseId(Phase phase)
{
    return phase == Phase::Prefill ? "prefill" : "decode";
}

namespace {

std::string attentionId(AttentionKind a)
{
    switch (a) {
    case AttentionKind::Mla: return "mla";
    case AttentionKind::Mha: return "mha";
    case AttentionKind::Gqa: return "gqa";
    }
    return "mla";
}

template<typename T>
void readField(const json &obj, const char *section, const char *key, T &out)
{
    if (!obj.contains(key))
        return;
    const json &v = obj.at(key);
    const std::string field = std::string(section) + "." + key;
    if constexpr (std::is_same_v<T, bool>) {
        if (!v.is_boolean())
            throw std::invalid_argument(field + ": expected true or false");
        out = v.get<bool>();
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (!v.is_string())
            throw std::invalid_argument(field + ": expected a string");
        out = v.get<std::string>();
    } else if constexpr (std::is_integral_v<T>) {
        // Checked before conversion: get<int>() would read 4294967297 as 1.
        if (!v.is_number_integer())
            throw std::invalid_argument(field + ": expected an integer, got " + v.dump());
        const bool beyond64 = v.is_number_unsigned()
                              && v.get<unsigned long long>() > (unsigned long long)std::numeric_limits<long long>::max();
        const long long n = beyond64 ? 0 : v.get<long long>();
        if (const InputLimit *limit = inputLimitForJsonKey(field); limit && (beyond64 || !withinLimit(*limit, double(n))))
            throw std::invalid_argument(field + ": " + limitMessage(*limit, 0.0, 1.0, "", v.dump()));
        if (beyond64 || n < std::numeric_limits<T>::min() || n > std::numeric_limits<T>::max())
            throw std::invalid_argument(field + ": expected an integer that fits the field, got " + v.dump());
        out = T(n);
    } else {
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            throw std::invalid_argument(field + ": expected a finite number, got " + v.dump());
        const double d = v.get<double>();
        if (const InputLimit *limit = inputLimitForJsonKey(field); limit && !withinLimit(*limit, d))
            throw std::invalid_argument(field + ": " + limitMessage(*limit, d, 1.0, limit->siUnit));
        out = d;
    }
}

const json *section(const json &j, const char *key)
{
    if (!j.contains(key))
        return nullptr;
    if (!j.at(key).is_object())
        throw std::invalid_argument(std::string(key) + ": expected an object");
    return &j.at(key);
}

/**
 * Rejects keys outside \p known: a misspelt field ("kv_lenght") would otherwise be ignored silently
 * and the file would evaluate with the base value instead of the one the author meant.
 */
void requireKnownKeys(const json &obj, const std::string &path, std::initializer_list<const char *> known)
{
    for (const auto &item : obj.items()) {
        bool found = false;
        for (const char *k : known)
            found = found || item.key() == k;
        if (found)
            continue;
        std::string expected;
        for (const char *k : known)
            expected += (expected.empty() ? "" : ", ") + std::string(k);
        throw std::invalid_argument((path.empty() ? "" : path + ".") + item.key()
                                    + ": unknown field; expected one of " + expected);
    }
}

} // namespace

json parametersToJson(const Parameters &p)
{
    const ModelConfig &m = p.model;
    const HardwareConfig &h = p.hardware;
    return json{
        {"schema", kParametersSchema},
        {"model",
         {{"id", m.id}, {"name", m.name}, {"attention", attentionId(m.attention)}, {"hidden_size", m.hiddenSize},
          {"num_layers", m.numLayers}, {"num_heads", m.numHeads}, {"num_kv_heads", m.numKvHeads},
          {"qk_nope_head_dim", m.qkNopeHeadDim}, {"qk_rope_head_dim", m.qkRopeHeadDim},
          {"v_head_dim", m.vHeadDim}, {"kv_lora_rank", m.kvLoraRank}, {"q_lora_rank", m.qLoraRank},
          {"intermediate_size", m.intermediateSize}, {"moe_intermediate_size", m.moeIntermediateSize},
          {"n_routed_experts", m.routedExperts}, {"n_shared_experts", m.sharedExperts},
          {"num_experts_per_tok", m.expertsPerToken}, {"first_k_dense_replace", m.firstDenseLayers},
          {"vocab_size", m.vocabSize}, {"tie_word_embeddings", m.tiedEmbeddings},
          {"total_params", modelParameterCount(m)}}},
        {"hardware",
         {{"id", h.id}, {"name", h.name}, {"peak_flops_bf16", h.peakFlopsBf16}, {"peak_flops_fp8", h.peakFlopsFp8},
          {"peak_flops_fp4", h.peakFlopsFp4}, {"dram_bandwidth_bytes_per_s", h.dramBandwidthBytesPerS},
          {"dram_capacity_bytes", h.dramCapacityBytes}, {"sram_capacity_bytes", h.sramCapacityBytes},
          {"sram_bandwidth_bytes_per_s", h.sramBandwidthBytesPerS}, {"energy_per_mac_bf16_j", h.energyPerMacBf16J},
          {"energy_per_mac_fp8_j", h.energyPerMacFp8J}, {"energy_per_mac_fp4_j", h.energyPerMacFp4J},
          {"energy_per_dram_byte_j", h.energyPerDramByteJ}, {"energy_per_sram_byte_j", h.energyPerSramByteJ},
          {"static_power_w", h.staticPowerW}, {"mma_tile_rows", h.mmaTileRows},
          {"compute_derate", h.computeDerate}, {"bandwidth_derate", h.bandwidthDerate},
          {"attention_compute_derate", h.attentionComputeDerate},
          {"attention_bandwidth_derate", h.attentionBandwidthDerate},
          {"kernel_latency_floor_s", h.kernelLatencyFloorS},
          {"interconnect_bandwidth_bytes_per_s", h.interconnectBandwidthBytesPerS},
          {"interconnect_latency_s", h.interconnectLatencyS}}},
        {"workload",
         {{"phase", phaseId(p.workload.phase)}, {"batch", p.workload.batch}, {"kv_length", p.workload.kvLength},
          {"query_length", p.workload.queryLength}}},
        {"precision",
         {{"weight_bits", p.precision.weightBits}, {"kv_bits", p.precision.kvBits},
          {"act_bits", p.precision.activationBits}}},
        {"parallel", {{"tensor", p.parallel.tensor}, {"data", p.parallel.data}, {"expert", p.parallel.expert}}},
        {"apply_derates", p.applyDerates},
        {"scope", std::string(scopeId(p.scope))},
    };
}

Parameters parametersFromJson(const json &j, const Parameters &base)
{
    if (!j.is_object())
        throw std::invalid_argument("parameters: expected an object");
    requireKnownKeys(j, "", {"schema", "model", "hardware", "workload", "precision", "parallel", "apply_derates", "scope"});
    Parameters p = base;
    if (const json *m = section(j, "model")) {
        requireKnownKeys(*m, "model",
                         {"id", "name", "attention", "hidden_size", "num_layers", "num_heads", "num_kv_heads",
                          "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim", "kv_lora_rank", "q_lora_rank",
                          "intermediate_size", "moe_intermediate_size", "n_routed_experts", "n_shared_experts",
                          "num_experts_per_tok", "first_k_dense_replace", "vocab_size", "tie_word_embeddings",
                          "total_params"});
        readField(*m, "model", "id", p.model.id);
        readField(*m, "model", "name", p.model.name);
        std::string attention = attentionId(p.model.attention);
        readField(*m, "model", "attention", attention);
        if (attention == "mla")
            p.model.attention = AttentionKind::Mla;
        else if (attention == "mha")
            p.model.attention = AttentionKind::Mha;
        else if (attention == "gqa")
            p.model.attention = AttentionKind::Gqa;
        else
            throw std::invalid_argument("model.attention: expected \"mla\", \"mha\" or \"gqa\"");
        readField(*m, "model", "hidden_size", p.model.hiddenSize);
        readField(*m, "model", "num_layers", p.model.numLayers);
        readField(*m, "model", "num_heads", p.model.numHeads);
        readField(*m, "model", "num_kv_heads", p.model.numKvHeads);
        readField(*m, "model", "qk_nope_head_dim", p.model.qkNopeHeadDim);
        readField(*m, "model", "qk_rope_head_dim", p.model.qkRopeHeadDim);
        readField(*m, "model", "v_head_dim", p.model.vHeadDim);
        readField(*m, "model", "kv_lora_rank", p.model.kvLoraRank);
        readField(*m, "model", "q_lora_rank", p.model.qLoraRank);
        readField(*m, "model", "intermediate_size", p.model.intermediateSize);
        readField(*m, "model", "moe_intermediate_size", p.model.moeIntermediateSize);
        readField(*m, "model", "n_routed_experts", p.model.routedExperts);
        readField(*m, "model", "n_shared_experts", p.model.sharedExperts);
        readField(*m, "model", "num_experts_per_tok", p.model.expertsPerToken);
        readField(*m, "model", "first_k_dense_replace", p.model.firstDenseLayers);
        readField(*m, "model", "vocab_size", p.model.vocabSize);
        readField(*m, "model", "tie_word_embeddings", p.model.tiedEmbeddings);
        // total_params is derived (modelParameterCount) and accepted on reading only so documents round-trip.
    }
    if (const json *h = section(j, "hardware")) {
        requireKnownKeys(*h, "hardware",
                         {"id", "name", "peak_flops_bf16", "peak_flops_fp8", "peak_flops_fp4",
                          "dram_bandwidth_bytes_per_s", "dram_capacity_bytes", "sram_capacity_bytes",
                          "sram_bandwidth_bytes_per_s", "energy_per_mac_bf16_j", "energy_per_mac_fp8_j",
                          "energy_per_mac_fp4_j", "energy_per_dram_byte_j", "energy_per_sram_byte_j",
                          "static_power_w", "mma_tile_rows", "compute_derate", "bandwidth_derate",
                          "attention_compute_derate", "attention_bandwidth_derate", "kernel_latency_floor_s",
                          "interconnect_bandwidth_bytes_per_s", "interconnect_latency_s"});
        HardwareConfig &hw = p.hardware;
        readField(*h, "hardware", "id", hw.id);
        readField(*h, "hardware", "name", hw.name);
        readField(*h, "hardware", "peak_flops_bf16", hw.peakFlopsBf16);
        readField(*h, "hardware", "peak_flops_fp8", hw.peakFlopsFp8);
        readField(*h, "hardware", "peak_flops_fp4", hw.peakFlopsFp4);
        readField(*h, "hardware", "dram_bandwidth_bytes_per_s", hw.dramBandwidthBytesPerS);
        readField(*h, "hardware", "dram_capacity_bytes", hw.dramCapacityBytes);
        readField(*h, "hardware", "sram_capacity_bytes", hw.sramCapacityBytes);
        readField(*h, "hardware", "sram_bandwidth_bytes_per_s", hw.sramBandwidthBytesPerS);
        readField(*h, "hardware", "energy_per_mac_bf16_j", hw.energyPerMacBf16J);
        readField(*h, "hardware", "energy_per_mac_fp8_j", hw.energyPerMacFp8J);
        readField(*h, "hardware", "energy_per_mac_fp4_j", hw.energyPerMacFp4J);
        readField(*h, "hardware", "energy_per_dram_byte_j", hw.energyPerDramByteJ);
        readField(*h, "hardware", "energy_per_sram_byte_j", hw.energyPerSramByteJ);
        readField(*h, "hardware", "static_power_w", hw.staticPowerW);
        readField(*h, "hardware", "compute_derate", hw.computeDerate);
        readField(*h, "hardware", "bandwidth_derate", hw.bandwidthDerate);
        readField(*h, "hardware", "mma_tile_rows", hw.mmaTileRows);
        readField(*h, "hardware", "attention_compute_derate", hw.attentionComputeDerate);
        readField(*h, "hardware", "attention_bandwidth_derate", hw.attentionBandwidthDerate);
        readField(*h, "hardware", "kernel_latency_floor_s", hw.kernelLatencyFloorS);
        readField(*h, "hardware", "interconnect_bandwidth_bytes_per_s", hw.interconnectBandwidthBytesPerS);
        readField(*h, "hardware", "interconnect_latency_s", hw.interconnectLatencyS);
    }
    if (const json *par = section(j, "parallel")) {
        requireKnownKeys(*par, "parallel", {"tensor", "data", "expert"});
        readField(*par, "parallel", "tensor", p.parallel.tensor);
        readField(*par, "parallel", "data", p.parallel.data);
        readField(*par, "parallel", "expert", p.parallel.expert);
    }
    if (const json *w = section(j, "workload")) {
        requireKnownKeys(*w, "workload", {"phase", "batch", "kv_length", "query_length"});
        std::string phase = phaseId(p.workload.phase);
        readField(*w, "workload", "phase", phase);
        if (phase != "decode" && phase != "prefill")
            throw std::invalid_argument("workload.phase: expected \"decode\" or \"prefill\"");
        p.workload.phase = phase == "prefill" ? Phase::Prefill : Phase::Decode;
        readField(*w, "workload", "batch", p.workload.batch);
        readField(*w, "workload", "kv_length", p.workload.kvLength);
        readField(*w, "workload", "query_length", p.workload.queryLength);
    }
    if (const json *pr = section(j, "precision")) {
        requireKnownKeys(*pr, "precision", {"weight_bits", "kv_bits", "act_bits"});
        readField(*pr, "precision", "weight_bits", p.precision.weightBits);
        readField(*pr, "precision", "kv_bits", p.precision.kvBits);
        readField(*pr, "precision", "act_bits", p.precision.activationBits);
    }
    if (j.contains("apply_derates")) {
        if (!j.at("apply_derates").is_boolean())
            throw std::invalid_argument("apply_derates: expected true or false");
        p.applyDerates = j.at("apply_derates").get<bool>();
    }
    if (j.contains("scope")) {
        const json &v = j.at("scope");
        const std::optional<Scope> scope = v.is_string() ? scopeFromId(v.get<std::string>()) : std::nullopt;
        if (!scope)
            throw std::invalid_argument("scope: expected \"step\", \"kernel\" or \"model\"");
        p.scope = *scope;
    }
    return p;
}

json resultToJson(const StepResult &r)
{
    json ops = json::array();
    for (const OperatorResult &o : r.operators) {
        json parts = json::array();
        for (const PartCost &pc : r.attentionParts) {
            parts.push_back({{"name", std::string(attentionPartId(pc.part))},
                             {"flops", pc.flops},
                             {"macs", pc.macs},
                             {"executed_flops", pc.executedFlops}});
        }
        ops.push_back({
            {"name", std::string(operatorId(o.cost.kind))},
            {"kernel_class", o.cost.kernelClass == KernelClass::Attention ? "attention" : "gemm"},
            {"flops", o.cost.flops},
            {"executed_flops", o.cost.executedFlops},
            {"macs", o.cost.macs},
            {"dram_bytes", o.cost.dramBytes},
            {"sram_bytes", o.cost.sramBytes},
            {"weight_bytes", o.cost.weightBytes},
            {"cache_bytes", o.cost.cacheBytes},
            {"compute_bits", o.cost.computeBits},
            {"compute_time_s", o.computeTimeS},
            {"dram_time_s", o.dramTimeS},
            {"sram_time_s", o.sramTimeS},
            {"latency_time_s", o.latencyTimeS},
            {"time_s", o.timeS},
            {"energy_j", o.energyJ},
            {"intensity_flop_per_byte", o.intensityFlopPerByte},
            {"bound", std::string(boundId(o.bound))},
        });
        if (o.cost.collectiveDevices > 1.0) {
            ops.back()["devices"] = o.cost.collectiveDevices;
            ops.back()["link_bytes"] = o.cost.linkBytes;
            ops.back()["link_time_s"] = o.linkTimeS;
        }
        if (o.cost.kind == OperatorKind::MoeRouted)
            ops.back()["experts_touched"] = o.cost.expertsTouched;
        if (r.scope == Scope::Model)
            ops.back()["layers"] = o.cost.layers;
        if (o.cost.kind == OperatorKind::Attention) {
            ops.back()["parts"] = parts;
            ops.back()["query_rows_per_kv_tile"] = o.cost.queryRowsPerTile;
            ops.back()["tile_padding"] = o.cost.tilePadding;
        }
    }
    json j{
        {"scheme", std::string(schemeId(r.scheme))},
        {"auto_selected", r.autoSelected},
        {"phase", phaseId(r.phase)},
        {"scope", std::string(scopeId(r.scope))},
        {"flops", r.flops},
        {"dram_bytes", r.dramBytes},
        {"sram_bytes", r.sramBytes},
        {"time_s", r.timeS},
        {"tokens_per_step", r.tokensPerStep},
        {"tokens_per_s", r.tokensPerS},
        {"energy_j", r.energyJ},
        {"energy_breakdown_j",
         {{"compute", r.computeEnergyJ}, {"sram", r.sramEnergyJ}, {"dram", r.dramEnergyJ}, {"static", r.staticEnergyJ}}},
        {"energy_per_token_j", r.energyPerTokenJ},
        {"intensity_flop_per_byte", r.intensityFlopPerByte},
        {"bound", std::string(boundId(r.bound))},
        {"kv_cache_bytes_per_token", r.kvCacheBytesPerToken},
        {"kv_cache_bytes", r.kvCacheBytes},
        {"weight_bytes", r.weightBytes},
        {"dram_needed_bytes", r.dramNeededBytes},
        {"max_batch", r.maxBatch},
        {"fits_in_dram", r.fitsInDram},
        {"devices", r.devices},
        {"idle_devices", r.idleDevices},
        {"communication_time_s", r.communicationTimeS},
        {"tokens_per_s_per_device", r.tokensPerSPerDevice},
        {"per_device",
         {{"kv_cache_bytes_per_token", r.perDevice.kvCacheBytesPerToken},
          {"weight_bytes", r.perDevice.weightBytes},
          {"dram_needed_bytes", r.perDevice.dramNeededBytes},
          {"max_batch", r.perDevice.maxBatch}}},
        {"on_chip",
         {{"capacity_bytes", r.onChip.capacityBytes},
          {"working_set_bytes", r.onChip.workingSetBytes},
          {"resident_cache_bytes", r.onChip.residentCacheBytes},
          {"resident_cache_fraction", r.onChip.residentCacheFraction},
          {"attention_passes", r.onChip.attentionPasses},
          {"up_projection_weight_passes", r.onChip.upProjectionWeightPasses},
          {"recompute_fused", r.onChip.recomputeFused}}},
        {"notes", r.notes},
        {"operators", ops},
    };
    if (r.scope == Scope::Model)
        j["attention_share"] = {{"time", r.attentionTimeShare}, {"energy", r.attentionEnergyShare},
                                {"time_s", r.attentionTimeS}};
    return j;
}

json evaluationToJson(const Parameters &params, const std::vector<StepResult> &results)
{
    json list = json::array();
    for (const StepResult &r : results)
        list.push_back(resultToJson(r));
    return json{{"schema", kEvaluateSchema}, {"parameters", parametersToJson(params)}, {"results", list}};
}

namespace {

std::string num(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

} // namespace

std::string evaluationToCsv(const std::vector<StepResult> &results)
{
    std::ostringstream out;
    out << "scheme,phase,operator,flops,dram_bytes,sram_bytes,time_s,energy_j,intensity_flop_per_byte,bound,"
           "tokens_per_s,energy_per_token_j,kv_cache_bytes_per_token\n";
    for (const StepResult &r : results) {
        const std::string head = std::string(schemeId(r.scheme)) + "," + phaseId(r.phase) + ",";
        for (const OperatorResult &o : r.operators)
            out << head << operatorId(o.cost.kind) << "," << num(o.cost.flops) << "," << num(o.cost.dramBytes) << ","
                << num(o.cost.sramBytes) << "," << num(o.timeS) << "," << num(o.energyJ) << ","
                << num(o.intensityFlopPerByte) << "," << boundId(o.bound) << ",,,\n";
        out << head << "total," << num(r.flops) << "," << num(r.dramBytes) << "," << num(r.sramBytes) << ","
            << num(r.timeS) << "," << num(r.energyJ) << "," << num(r.intensityFlopPerByte) << ","
            << boundId(r.bound) << "," << num(r.tokensPerS) << "," << num(r.energyPerTokenJ) << ","
            << num(r.kvCacheBytesPerToken) << "\n";
    }
    return out.str();
}

namespace {

// "auto:mla-reuse" when the auto choice picked it, so it never reads as the scheme asked for by name.
std::string sweepSchemeLabel(const StepResult &r)
{
    return (r.autoSelected ? "auto:" : "") + std::string(schemeId(r.scheme));
}

} // namespace

std::string fieldSweepToCsv(Field field, const std::vector<FieldSweepPoint> &points)
{
    std::string out;
    out.reserve(64 + points.size() * 2 * 128);
    out += fieldInfo(field).cliName;
    out += ",scheme,time_s,tokens_per_s,energy_per_token_j,flops,dram_bytes,bound,fits_in_dram\n";
    for (const FieldSweepPoint &pt : points) {
        const std::string x = shortNumber(pt.displayValue);
        for (const StepResult &r : pt.results) {
            out += x;
            out += ',';
            out += sweepSchemeLabel(r);
            for (double v : {r.timeS, r.tokensPerS, r.energyPerTokenJ, r.flops, r.dramBytes}) {
                out += ',';
                out += num(v);
            }
            out += ',';
            out += boundId(r.bound);
            out += r.fitsInDram ? ",true\n" : ",false\n";
        }
    }
    return out;
}

json fieldSweepToJson(const Parameters &params, Field field, const std::vector<FieldSweepPoint> &points)
{
    const FieldInfo &f = fieldInfo(field);
    json values = json::array();
    json rows = json::array();
    for (const FieldSweepPoint &pt : points) {
        values.push_back(pt.displayValue);
        for (const StepResult &r : pt.results)
            rows.push_back({{std::string(f.cliName), pt.displayValue},
                            {"scheme", sweepSchemeLabel(r)},
                            {"time_s", r.timeS},
                            {"tokens_per_s", r.tokensPerS},
                            {"energy_per_token_j", r.energyPerTokenJ},
                            {"flops", r.flops},
                            {"dram_bytes", r.dramBytes},
                            {"bound", boundId(r.bound)},
                            {"fits_in_dram", r.fitsInDram}});
    }
    return json{{"schema", kSweepSchema},
                {"axis", {{"field", f.id}, {"option", f.cliName}, {"unit", f.unit}, {"values", values}}},
                {"parameters", parametersToJson(params)},
                {"rows", rows}};
}

namespace {

// The winner under the tie rule of every front end (kTieFraction), or the tied schemes.
std::string leaderLine(const std::vector<StepResult> &results)
{
    std::vector<const StepResult *> distinct;  // `auto` repeats a scheme: it must not tie with itself
    for (const StepResult &r : results)
        if (std::none_of(distinct.begin(), distinct.end(), [&](const StepResult *d) { return d->scheme == r.scheme; }))
            distinct.push_back(&r);
    if (distinct.size() < 2)
        return {};
    const std::vector<const StepResult *> leaders = leadingResults(distinct);
    const int percent = int(std::lround(kTieFraction * 100));
    if (leaders.size() > 1) {
        std::string names;
        for (const StepResult *r : leaders)
            names += (names.empty() ? "" : ", ") + std::string(schemeId(r->scheme));
        return "tie (within " + std::to_string(percent) + " %): " + names + "\n";
    }
    double runnerUp = 0.0;
    for (const StepResult *r : distinct)
        if (r != leaders.front())
            runnerUp = std::max(runnerUp, r->tokensPerS);
    char buf[160];
    std::snprintf(buf, sizeof buf, "fastest: %s, %.3gx the runner-up (a lead under %d %% is a tie)\n",
                  std::string(schemeId(leaders.front()->scheme)).c_str(),
                  runnerUp > 0.0 ? leaders.front()->tokensPerS / runnerUp : 0.0, percent);
    return buf;
}

} // namespace

std::string evaluationToTable(const Parameters &p, const std::vector<StepResult> &results)
{
    std::ostringstream out;
    const Workload &w = p.workload;
    out << p.model.name << " on " << p.hardware.name << ", " << phaseId(w.phase) << ", B=" << w.batch
        << ", L=" << w.kvLength << ", S=" << queryTokensPerRequest(w) << ", W" << p.precision.weightBits << "/KV"
        << p.precision.kvBits << "/A" << p.precision.activationBits << (p.applyDerates ? ", derated" : "")
        << (p.parallel.tensor * p.parallel.data > 1
                ? ", TP=" + std::to_string(p.parallel.tensor) + " x DP=" + std::to_string(p.parallel.data) + " ("
                      + std::to_string(p.parallel.tensor * p.parallel.data)
                      + " devices: FLOPs and DRAM of one device, tokens/s and energy of the system)"
                : std::string())
        << (p.scope == Scope::Kernel  ? "\n(the attention kernel of one layer)\n\n"
            : p.scope == Scope::Model ? "\n(the whole model: attention, FFN/MoE, embedding and LM head, all "
                                            + std::to_string(p.model.numLayers) + " layers, one step)\n\n"
                                      : "\n(attention only, all " + std::to_string(p.model.numLayers) + " layers, one step)\n\n");
    char line[512];
    std::snprintf(line, sizeof line, "%-18s %12s %12s %12s %14s %14s %10s %8s %14s\n", "scheme", "time", "FLOPs",
                  "DRAM", "tokens/s", "energy/token", "FLOP/B", "bound", "KV/token");
    out << line;
    for (const StepResult &r : results) {
        std::string name(schemeId(r.scheme));
        if (r.autoSelected)
            name = "auto→" + name;
        if (!r.fitsInDram)
            name += " *";
        std::snprintf(line, sizeof line, "%-18s %12s %12s %12s %14s %14s %10.3g %8s %14s\n", name.c_str(),
                      formatSi(r.timeS, "s").c_str(), formatSi(r.flops, "FLOP").c_str(),
                      formatSi(r.dramBytes, "B").c_str(), formatTokenRate(r.tokensPerS, "tok/s").c_str(),
                      formatSi(r.energyPerTokenJ, "J").c_str(), r.intensityFlopPerByte,
                      std::string(boundId(r.bound)).c_str(), formatSi(r.kvCacheBytesPerToken, "B").c_str());
        out << line;
    }
    for (const StepResult &r : results)
        if (!r.fitsInDram)
            out << "* " << schemeId(r.scheme) << " does not fit in DRAM: needs "
                << formatSi(r.perDevice.dramNeededBytes, "B") << (r.devices > 1 ? " per device" : "") << ", has "
                << formatSi(p.hardware.dramCapacityBytes, "B") << "\n";
    if (p.scope == Scope::Model)
        for (const StepResult &r : results) {
            std::snprintf(line, sizeof line, "attention share %s: %.1f %% of the time, %.1f %% of the energy\n",
                          std::string(schemeId(r.scheme)).c_str(), 100.0 * r.attentionTimeShare,
                          100.0 * r.attentionEnergyShare);
            out << line;
        }
    out << leaderLine(results);
    for (const StepResult &r : results) {
        out << "\n" << schemeId(r.scheme) << " operators:\n";
        std::snprintf(line, sizeof line, "  %-16s %12s %12s %12s %12s %10s %8s\n", "operator", "FLOPs", "DRAM",
                      "on-chip", "time", "FLOP/B", "bound");
        out << line;
        for (const OperatorResult &o : r.operators) {
            std::snprintf(line, sizeof line, "  %-16s %12s %12s %12s %12s %10.3g %8s\n",
                          std::string(operatorId(o.cost.kind)).c_str(), formatSi(o.cost.flops, "FLOP").c_str(),
                          formatSi(o.cost.dramBytes, "B").c_str(), formatSi(o.cost.sramBytes, "B").c_str(),
                          formatSi(o.timeS, "s").c_str(), o.intensityFlopPerByte,
                          std::string(boundId(o.bound)).c_str());
            out << line;
        }
        for (const std::string &n : r.notes)
            out << "  - " << n << "\n";
    }
    return out.str();
}

} // namespace mlastudio::core
