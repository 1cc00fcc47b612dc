// SPDX-License-Identifier: MIT
#include "mlastudio/core/inputlimits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace mlastudio::core {

namespace {

using K = LimitKind;
using P = const Parameters &;

constexpr double kMaxDimension = 1 << 20;
constexpr double kMaxBatch = 1 << 20;
constexpr double kMaxTokens = 1 << 30;
constexpr double kMaxExperts = 1 << 16;
constexpr double kMaxVocabulary = 1 << 24;

// Upper ends lie far beyond any real device yet keep every product of the model finite; lower ends
// reject vanishing factors (a derate of 1e-320 would divide a time into infinity). docs/presets.md
// documents this table: keep the two in step.
constexpr InputLimit kLimits[] = {
    {"compute.bf16", "hardware.peak_flops_bf16", "FLOP/s", Field::PeakCompute, K::Real, 1e6, 1e21, false, [](P p) { return p.hardware.peakFlopsBf16; }, [](Parameters &p, double v) { p.hardware.peakFlopsBf16 = v; }},
    {"compute.fp8", "hardware.peak_flops_fp8", "FLOP/s", std::nullopt, K::Real, 1e6, 1e21, true, [](P p) { return p.hardware.peakFlopsFp8; }, [](Parameters &p, double v) { p.hardware.peakFlopsFp8 = v; }},
    {"compute.fp4", "hardware.peak_flops_fp4", "FLOP/s", std::nullopt, K::Real, 1e6, 1e21, true, [](P p) { return p.hardware.peakFlopsFp4; }, [](Parameters &p, double v) { p.hardware.peakFlopsFp4 = v; }},
    {"dram.bandwidth", "hardware.dram_bandwidth_bytes_per_s", "B/s", Field::DramBandwidth, K::Real, 1e3, 1e18, false, [](P p) { return p.hardware.dramBandwidthBytesPerS; }, [](Parameters &p, double v) { p.hardware.dramBandwidthBytesPerS = v; }},
    {"dram.capacity", "hardware.dram_capacity_bytes", "B", Field::DramCapacity, K::Real, 1e3, 1e18, false, [](P p) { return p.hardware.dramCapacityBytes; }, [](Parameters &p, double v) { p.hardware.dramCapacityBytes = v; }},
    {"sram.capacity", "hardware.sram_capacity_bytes", "B", Field::SramCapacity, K::Real, 1024.0, 1099511627776.0, true, [](P p) { return p.hardware.sramCapacityBytes; }, [](Parameters &p, double v) { p.hardware.sramCapacityBytes = v; }},
    {"sram.bandwidth", "hardware.sram_bandwidth_bytes_per_s", "B/s", Field::SramBandwidth, K::Real, 1e3, 1e19, false, [](P p) { return p.hardware.sramBandwidthBytesPerS; }, [](Parameters &p, double v) { p.hardware.sramBandwidthBytesPerS = v; }},
    {"energy.mac_bf16", "hardware.energy_per_mac_bf16_j", "J", Field::EnergyMac16, K::Real, 1e-18, 1e-6, true, [](P p) { return p.hardware.energyPerMacBf16J; }, [](Parameters &p, double v) { p.hardware.energyPerMacBf16J = v; }},
    {"energy.mac_fp8", "hardware.energy_per_mac_fp8_j", "J", Field::EnergyMac8, K::Real, 1e-18, 1e-6, true, [](P p) { return p.hardware.energyPerMacFp8J; }, [](Parameters &p, double v) { p.hardware.energyPerMacFp8J = v; }},
    {"energy.mac_fp4", "hardware.energy_per_mac_fp4_j", "J", std::nullopt, K::Real, 1e-18, 1e-6, true, [](P p) { return p.hardware.energyPerMacFp4J; }, [](Parameters &p, double v) { p.hardware.energyPerMacFp4J = v; }},
    {"energy.dram", "hardware.energy_per_dram_byte_j", "J/B", Field::EnergyDram, K::Real, 1e-18, 1e-6, true, [](P p) { return p.hardware.energyPerDramByteJ; }, [](Parameters &p, double v) { p.hardware.energyPerDramByteJ = v; }},
    {"energy.sram", "hardware.energy_per_sram_byte_j", "J/B", Field::EnergySram, K::Real, 1e-18, 1e-6, true, [](P p) { return p.hardware.energyPerSramByteJ; }, [](Parameters &p, double v) { p.hardware.energyPerSramByteJ = v; }},
    {"energy.static_power", "hardware.static_power_w", "W", Field::StaticPower, K::Real, 1e-3, 1e9, true, [](P p) { return p.hardware.staticPowerW; }, [](Parameters &p, double v) { p.hardware.staticPowerW = v; }},
    {"derate.compute", "hardware.compute_derate", "", Field::ComputeDerate, K::Fraction, 0.01, 1.0, false, [](P p) { return p.hardware.computeDerate; }, [](Parameters &p, double v) { p.hardware.computeDerate = v; }},
    {"derate.bandwidth", "hardware.bandwidth_derate", "", Field::BandwidthDerate, K::Fraction, 0.01, 1.0, false, [](P p) { return p.hardware.bandwidthDerate; }, [](Parameters &p, double v) { p.hardware.bandwidthDerate = v; }},
    {"derate.attention_compute", "hardware.attention_compute_derate", "", Field::AttentionComputeDerate, K::Fraction, 0.01, 1.0, false, [](P p) { return p.hardware.attentionComputeDerate; }, [](Parameters &p, double v) { p.hardware.attentionComputeDerate = v; }},
    {"derate.attention_bandwidth", "hardware.attention_bandwidth_derate", "", Field::AttentionBandwidthDerate, K::Fraction, 0.01, 1.0, false, [](P p) { return p.hardware.attentionBandwidthDerate; }, [](Parameters &p, double v) { p.hardware.attentionBandwidthDerate = v; }},
    {"derate.latency_floor", "hardware.kernel_latency_floor_s", "s", Field::KernelLatencyFloor, K::Real, 1e-9, 1e-2, true, [](P p) { return p.hardware.kernelLatencyFloorS; }, [](Parameters &p, double v) { p.hardware.kernelLatencyFloorS = v; }},
    {"interconnect.bandwidth", "hardware.interconnect_bandwidth_bytes_per_s", "B/s", Field::InterconnectBandwidth, K::Real, 1e3, 1e18, true, [](P p) { return p.hardware.interconnectBandwidthBytesPerS; }, [](Parameters &p, double v) { p.hardware.interconnectBandwidthBytesPerS = v; }},
    {"interconnect.latency", "hardware.interconnect_latency_s", "s", Field::InterconnectLatency, K::Real, 1e-9, 1e-2, true, [](P p) { return p.hardware.interconnectLatencyS; }, [](Parameters &p, double v) { p.hardware.interconnectLatencyS = v; }},
    {"compute.mma_tile_rows", "hardware.mma_tile_rows", "", Field::MmaTileRows, K::Integer, 1, 1024, false, [](P p) { return double(p.hardware.mmaTileRows); }, [](Parameters &p, double v) { p.hardware.mmaTileRows = int(v); }},

    {"hidden_size", "model.hidden_size", "", Field::HiddenSize, K::Integer, 1, kMaxDimension, false, [](P p) { return double(p.model.hiddenSize); }, [](Parameters &p, double v) { p.model.hiddenSize = int(v); }},
    {"num_layers", "model.num_layers", "", Field::Layers, K::Integer, 1, kMaxDimension, false, [](P p) { return double(p.model.numLayers); }, [](Parameters &p, double v) { p.model.numLayers = int(v); }},
    {"num_heads", "model.num_heads", "", Field::Heads, K::Integer, 1, kMaxDimension, false, [](P p) { return double(p.model.numHeads); }, [](Parameters &p, double v) { p.model.numHeads = int(v); }},
    {"num_kv_heads", "model.num_kv_heads", "", Field::KvHeads, K::Integer, 1, kMaxDimension, false, [](P p) { return double(p.model.numKvHeads); }, [](Parameters &p, double v) { p.model.numKvHeads = int(v); }},
    {"qk_nope_head_dim", "model.qk_nope_head_dim", "", Field::HeadDim, K::Integer, 1, kMaxDimension, false, [](P p) { return double(p.model.qkNopeHeadDim); }, [](Parameters &p, double v) { p.model.qkNopeHeadDim = int(v); }},
    {"qk_rope_head_dim", "model.qk_rope_head_dim", "", Field::RopeDim, K::Integer, 0, kMaxDimension, false, [](P p) { return double(p.model.qkRopeHeadDim); }, [](Parameters &p, double v) { p.model.qkRopeHeadDim = int(v); }},
    {"v_head_dim", "model.v_head_dim", "", Field::VHeadDim, K::Integer, 1, kMaxDimension, false, [](P p) { return double(p.model.vHeadDim); }, [](Parameters &p, double v) { p.model.vHeadDim = int(v); }},
    {"kv_lora_rank", "model.kv_lora_rank", "", Field::KvLoraRank, K::Integer, 0, kMaxDimension, false, [](P p) { return double(p.model.kvLoraRank); }, [](Parameters &p, double v) { p.model.kvLoraRank = int(v); }},
    {"q_lora_rank", "model.q_lora_rank", "", Field::QLoraRank, K::Integer, 0, kMaxDimension, false, [](P p) { return double(p.model.qLoraRank); }, [](Parameters &p, double v) { p.model.qLoraRank = int(v); }},

    {"intermediate_size", "model.intermediate_size", "", std::nullopt, K::Integer, 0, kMaxDimension, false, [](P p) { return double(p.model.intermediateSize); }, [](Parameters &p, double v) { p.model.intermediateSize = int(v); }},
    {"moe_intermediate_size", "model.moe_intermediate_size", "", std::nullopt, K::Integer, 0, kMaxDimension, false, [](P p) { return double(p.model.moeIntermediateSize); }, [](Parameters &p, double v) { p.model.moeIntermediateSize = int(v); }},
    {"n_routed_experts", "model.n_routed_experts", "", std::nullopt, K::Integer, 0, kMaxExperts, false, [](P p) { return double(p.model.routedExperts); }, [](Parameters &p, double v) { p.model.routedExperts = int(v); }},
    {"n_shared_experts", "model.n_shared_experts", "", std::nullopt, K::Integer, 0, kMaxExperts, false, [](P p) { return double(p.model.sharedExperts); }, [](Parameters &p, double v) { p.model.sharedExperts = int(v); }},
    {"num_experts_per_tok", "model.num_experts_per_tok", "", std::nullopt, K::Integer, 0, kMaxExperts, false, [](P p) { return double(p.model.expertsPerToken); }, [](Parameters &p, double v) { p.model.expertsPerToken = int(v); }},
    {"first_k_dense_replace", "model.first_k_dense_replace", "", std::nullopt, K::Integer, 0, kMaxDimension, false, [](P p) { return double(p.model.firstDenseLayers); }, [](Parameters &p, double v) { p.model.firstDenseLayers = int(v); }},
    {"vocab_size", "model.vocab_size", "", std::nullopt, K::Integer, 0, kMaxVocabulary, false, [](P p) { return double(p.model.vocabSize); }, [](Parameters &p, double v) { p.model.vocabSize = int(v); }},

    {"batch", "workload.batch", "", Field::Batch, K::Integer, 1, kMaxBatch, false, [](P p) { return double(p.workload.batch); }, [](Parameters &p, double v) { p.workload.batch = int(v); }},
    {"seq_len", "workload.kv_length", "", Field::KvLength, K::Integer, 1, kMaxTokens, false, [](P p) { return double(p.workload.kvLength); }, [](Parameters &p, double v) { p.workload.kvLength = static_cast<long long>(v); }},
    {"query_len", "workload.query_length", "", Field::QueryLength, K::Integer, 1, kMaxTokens, false, [](P p) { return double(p.workload.queryLength); }, [](Parameters &p, double v) { p.workload.queryLength = int(v); }},

    {"tensor_parallel", "parallel.tensor", "", Field::TensorParallel, K::Integer, 1, 4096, false, [](P p) { return double(p.parallel.tensor); }, [](Parameters &p, double v) { p.parallel.tensor = int(v); }},
    {"data_parallel", "parallel.data", "", Field::DataParallel, K::Integer, 1, 65536, false, [](P p) { return double(p.parallel.data); }, [](Parameters &p, double v) { p.parallel.data = int(v); }},
    {"expert_parallel", "parallel.expert", "", Field::ExpertParallel, K::Integer, 1, 4096, false, [](P p) { return double(p.parallel.expert); }, [](Parameters &p, double v) { p.parallel.expert = int(v); }},

    {"weight_bits", "precision.weight_bits", "", Field::WeightBits, K::Bits, 4, 16, false, [](P p) { return double(p.precision.weightBits); }, [](Parameters &p, double v) { p.precision.weightBits = int(v); }},
    {"kv_bits", "precision.kv_bits", "", Field::KvBits, K::Bits, 4, 16, false, [](P p) { return double(p.precision.kvBits); }, [](Parameters &p, double v) { p.precision.kvBits = int(v); }},
    {"act_bits", "precision.act_bits", "", Field::ActBits, K::Bits, 4, 16, false, [](P p) { return double(p.precision.activationBits); }, [](Parameters &p, double v) { p.precision.activationBits = int(v); }},
};

std::string withUnit(const std::string &number, std::string_view unit)
{
    return unit.empty() ? number : number + " " + std::string(unit);
}

} // namespace

std::span<const InputLimit> allInputLimits()
{
    return kLimits;
}

const InputLimit *inputLimit(std::string_view id)
{
    for (const InputLimit &l : kLimits)
        if (l.id == id)
            return &l;
    return nullptr;
}

const InputLimit *inputLimitForJsonKey(std::string_view jsonKey)
{
    for (const InputLimit &l : kLimits)
        if (l.jsonKey == jsonKey)
            return &l;
    return nullptr;
}

const InputLimit *inputLimit(Field field)
{
    for (const InputLimit &l : kLimits)
        if (l.field == field)
            return &l;
    return nullptr;
}

bool withinLimit(const InputLimit &l, double v)
{
    if (!std::isfinite(v))
        return false;
    switch (l.kind) {
    case LimitKind::Bits:
        return v == 4.0 || v == 8.0 || v == 16.0;
    case LimitKind::Integer:
        // The range first; then a cast, not std::floor (a libm call: validate() runs at every sweep
        // point). Below 2^62 the cast is exact and drops only a fraction.
        if (!(v >= l.min && v <= l.max))
            return false;
        return std::fabs(v) < 0x1p62 ? double(static_cast<long long>(v)) == v : v == std::floor(v);
    case LimitKind::Real:
    case LimitKind::Fraction:
        return (l.zeroAllowed && v == 0.0) || (v >= l.min && v <= l.max);
    }
    return false;
}

std::string shortNumber(double v)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char buf[64];
    int digits = 1;
    for (; digits < 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        const double back = std::strtod(buf, nullptr);
        if (back == v || std::fabs(back - v) <= 1e-15 * std::fabs(v))
            break;
    }
    // Plain digits for ordinary magnitudes (1000, 4096, 0.01), an exponent beyond them (1e6, 1e-7).
    const double mag = std::fabs(v);
    if (mag >= 1e-4 && mag < 1e6) {
        const int integerDigits = mag >= 1.0 ? int(std::floor(std::log10(mag))) + 1 : 1;
        digits = std::max(digits, integerDigits);
    }
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    // 1e+06 -> 1e6, 1e-07 -> 1e-7: the form people type.
    std::string s = buf;
    const std::size_t e = s.find('e');
    if (e != std::string::npos) {
        std::string mantissa = s.substr(0, e);
        std::string exponent = s.substr(e + 1);
        const bool negative = !exponent.empty() && exponent[0] == '-';
        if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-'))
            exponent.erase(0, 1);
        while (exponent.size() > 1 && exponent[0] == '0')
            exponent.erase(0, 1);
        s = mantissa + "e" + (negative ? "-" : "") + exponent;
    }
    return s;
}

std::string limitMessage(const InputLimit &l, double siValue, double scale, std::string_view unit,
                         std::string_view valueText)
{
    const std::string got = valueText.empty() ? shortNumber(siValue / scale) : std::string(valueText);
    const std::string lo = shortNumber(l.min / scale);
    const std::string hi = shortNumber(l.max / scale);
    switch (l.kind) {
    case LimitKind::Bits:
        return "must be 4, 8 or 16, got " + got;
    case LimitKind::Integer:
        return "must be an integer from " + lo + " to " + hi + ", got " + got;
    case LimitKind::Fraction:
        return "must be a fraction from " + lo + " to " + hi + ", got " + got;
    case LimitKind::Real:
        break;
    }
    return std::string("must be ") + (l.zeroAllowed ? "0 or " : "") + "from " + lo + " to " + withUnit(hi, unit)
           + ", got " + withUnit(got, unit);
}

namespace {

const FieldInfo *displayField(const ValidationIssue &issue, IssueStyle style)
{
    if (!issue.limit || !issue.limit->field || (style != IssueStyle::CommandLine && style != IssueStyle::Display))
        return nullptr;
    return &fieldInfo(*issue.limit->field);
}

} // namespace

std::string issueSubject(const ValidationIssue &issue, IssueStyle style)
{
    if (const FieldInfo *f = displayField(issue, style))
        return style == IssueStyle::CommandLine ? "--" + std::string(f->cliName) : std::string(f->label);
    if (style == IssueStyle::Json && issue.limit)
        return std::string(issue.limit->jsonKey);
    return issue.field;
}

std::string issueText(const ValidationIssue &issue, IssueStyle style)
{
    if (!issue.outOfRange || !issue.limit)
        return issue.message;
    if (const FieldInfo *f = displayField(issue, style))
        return limitMessage(*issue.limit, issue.value, f->displayScale, f->unit);
    return limitMessage(*issue.limit, issue.value, 1.0, issue.limit->siUnit);
}

std::string formatIssue(const ValidationIssue &issue, IssueStyle style)
{
    return issueSubject(issue, style) + ": " + issueText(issue, style);
}

std::string inputFileProblem(const std::string &path, std::uintmax_t maxBytes)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec); // follows symbolic links, never opens
    switch (st.type()) {
    case fs::file_type::regular: {
        const std::uintmax_t size = fs::file_size(path, ec);
        if (ec)
            return "cannot determine the file size (" + ec.message() + ")";
        if (size > maxBytes)
            return "is " + std::to_string(size) + " bytes, more than the " + std::to_string(maxBytes) + "-byte limit";
        return {};
    }
    case fs::file_type::not_found: {
        std::error_code linkEc;
        if (fs::is_symlink(fs::symlink_status(path, linkEc)))
            return "is a symbolic link to a file that does not exist";
        return "no such file";
    }
    case fs::file_type::directory: return "is a directory, not a file";
    case fs::file_type::fifo: return "is a FIFO, not a regular file";
    case fs::file_type::socket: return "is a socket, not a regular file";
    case fs::file_type::block:
    case fs::file_type::character: return "is a device, not a regular file";
    default:
        break;
    }
    if (ec)
        return "cannot read the file (" + ec.message() + ")";
    return "is not a regular file";
}

} // namespace mlastudio::core
