// SPDX-License-Identifier: MIT
#include "mlastudio/core/fields.h"

#include <algorithm>
#include <cmath>

namespace mlastudio::core {

namespace {

using G = FieldGroup;

// Ranges follow the GUI brief: bandwidth 1 GB/s–20 TB/s, compute 0.1 TFLOP/s–10 PFLOP/s,
// on-chip memory 0–1 GiB, batch 1–4096, KV length 128–1M. Ranks and head dims snap to multiples of 64,
// the granularity of real models and of tensor-core tiles.
constexpr std::array<FieldInfo, kFieldCount> kFields = {{
    {Field::DramBandwidth, G::Hardware, "dram_bandwidth", "bandwidth-gbs", "Memory bandwidth", "GB/s", "BW_DRAM", 1e9, 1.0, 20000.0, true, false},
    {Field::PeakCompute, G::Hardware, "peak_compute", "compute-tflops", "Compute (16-bit)", "TFLOP/s", "P", 1e12, 0.1, 10000.0, true, false},
    {Field::SramCapacity, G::Hardware, "sram_capacity", "sram-mib", "On-chip memory", "MiB", "C_SRAM", 1048576.0, 0.0, 1024.0, false, false},
    {Field::SramBandwidth, G::Hardware, "sram_bandwidth", "sram-tbs", "On-chip bandwidth", "TB/s", "BW_SRAM", 1e12, 0.01, 200.0, true, false},
    {Field::DramCapacity, G::Hardware, "dram_capacity", "dram-gb", "DRAM capacity", "GB", "C_DRAM", 1e9, 1.0, 2000.0, true, false},
    {Field::KvLoraRank, G::Model, "kv_lora_rank", "kv-lora-rank", "Latent rank", "", "d_c", 1.0, 0.0, 4096.0, false, true, 64.0},
    {Field::QLoraRank, G::Model, "q_lora_rank", "q-lora-rank", "Query latent rank", "", "d_c'", 1.0, 0.0, 8192.0, false, true, 64.0},
    {Field::RopeDim, G::Model, "qk_rope_head_dim", "rope-dim", "RoPE dim", "", "d_R", 1.0, 0.0, 512.0, false, true, 64.0},
    {Field::Heads, G::Model, "num_heads", "heads", "Heads", "", "n_h", 1.0, 1.0, 256.0, false, true},
    {Field::KvHeads, G::Model, "num_kv_heads", "kv-heads", "GQA KV heads", "", "n_kv", 1.0, 1.0, 256.0, false, true},
    {Field::HeadDim, G::Model, "qk_nope_head_dim", "head-dim", "Head dim (q/k)", "", "d_h", 1.0, 16.0, 512.0, false, true, 64.0},
    {Field::VHeadDim, G::Model, "v_head_dim", "v-head-dim", "Head dim (v)", "", "d_v", 1.0, 16.0, 512.0, false, true, 64.0},
    {Field::HiddenSize, G::Model, "hidden_size", "hidden-size", "Model width", "", "d", 1.0, 256.0, 32768.0, true, true, 64.0},
    {Field::Layers, G::Model, "num_layers", "layers", "Layers", "", "l", 1.0, 1.0, 256.0, false, true},
    {Field::Batch, G::Workload, "batch", "batch", "Batch", "requests", "B", 1.0, 1.0, 4096.0, true, true},
    {Field::KvLength, G::Workload, "kv_length", "seq-len", "KV length", "tokens", "L", 1.0, 128.0, 1048576.0, true, true},
    {Field::QueryLength, G::Workload, "query_length", "query-len", "Query tokens / step", "tokens", "S", 1.0, 1.0, 1024.0, true, true},
    {Field::WeightBits, G::Precision, "weight_bits", "weight-bits", "Weights", "bit", "b_w", 1.0, 4.0, 16.0, false, true},
    {Field::KvBits, G::Precision, "kv_bits", "kv-bits", "KV cache", "bit", "b_kv", 1.0, 4.0, 16.0, false, true},
    {Field::ActBits, G::Precision, "act_bits", "act-bits", "Activations", "bit", "b_a", 1.0, 4.0, 16.0, false, true},
    {Field::EnergyMac16, G::Energy, "energy_mac_16", "energy-mac-pj", "Energy / MAC (16-bit)", "pJ", "e_MAC", 1e-12, 0.001, 100.0, true, false},
    {Field::EnergyMac8, G::Energy, "energy_mac_8", "energy-mac8-pj", "Energy / MAC (8-bit)", "pJ", "e_MAC8", 1e-12, 0.001, 100.0, true, false},
    {Field::EnergyDram, G::Energy, "energy_dram", "energy-dram-pj-bit", "Energy / DRAM bit", "pJ/bit", "e_DRAM", 8e-12, 0.01, 1000.0, true, false},
    {Field::EnergySram, G::Energy, "energy_sram", "energy-sram-pj-bit", "Energy / on-chip bit", "pJ/bit", "e_SRAM", 8e-12, 0.001, 100.0, true, false},
    {Field::StaticPower, G::Energy, "static_power", "static-power-w", "Static power", "W", "P_static", 1.0, 0.0, 2000.0, false, false},
    {Field::ComputeDerate, G::Kernel, "compute_derate", "compute-derate", "GEMM compute efficiency", "", "η_c", 1.0, 0.01, 1.0, false, false},
    {Field::BandwidthDerate, G::Kernel, "bandwidth_derate", "bandwidth-derate", "GEMM bandwidth efficiency", "", "η_m", 1.0, 0.01, 1.0, false, false},
    {Field::AttentionComputeDerate, G::Kernel, "attention_compute_derate", "attention-compute-derate", "Attention compute efficiency", "", "η_c,att", 1.0, 0.01, 1.0, false, false},
    {Field::AttentionBandwidthDerate, G::Kernel, "attention_bandwidth_derate", "attention-bandwidth-derate", "Attention bandwidth efficiency", "", "η_m,att", 1.0, 0.01, 1.0, false, false},
    {Field::KernelLatencyFloor, G::Kernel, "kernel_latency_floor", "latency-floor-us", "Kernel latency floor", "µs", "t_0", 1e-6, 0.0, 1000.0, false, false},
    {Field::MmaTileRows, G::Kernel, "mma_tile_rows", "mma-tile-rows", "MMA tile rows", "rows", "R_tile", 1.0, 1.0, 256.0, false, true},
    {Field::InterconnectBandwidth, G::Hardware, "interconnect_bandwidth", "link-gbs", "Interconnect bandwidth", "GB/s", "BW_link", 1e9, 1.0, 4000.0, true, false},
    {Field::InterconnectLatency, G::Hardware, "interconnect_latency", "link-latency-us", "Interconnect latency", "µs", "t_link", 1e-6, 0.0, 100.0, false, false},
    {Field::TensorParallel, G::Parallelism, "tensor_parallel", "tp", "Tensor parallel (TP)", "devices", "N_TP", 1.0, 1.0, 64.0, true, true},
    {Field::DataParallel, G::Parallelism, "data_parallel", "dp", "Data parallel (DP)", "devices", "N_DP", 1.0, 1.0, 256.0, true, true},
    {Field::ExpertParallel, G::Parallelism, "expert_parallel", "ep", "Expert parallel (EP)", "devices", "N_EP", 1.0, 1.0, 256.0, true, true},
}};

// The table is indexed by Field: every entry must sit at its enumerator's position.
constexpr bool tableInEnumOrder()
{
    for (std::size_t i = 0; i < kFields.size(); ++i)
        if (int(kFields[i].field) != int(i))
            return false;
    return true;
}
static_assert(tableInEnumOrder(), "kFields must list the fields in the order of enum Field");

} // namespace

const std::array<FieldInfo, kFieldCount> &allFields()
{
    return kFields;
}

const FieldInfo &fieldInfo(Field field)
{
    return kFields[std::size_t(field)];
}

std::optional<Field> fieldFromId(std::string_view id)
{
    for (const FieldInfo &f : kFields)
        if (f.id == id)
            return f.field;
    return std::nullopt;
}

double snapDisplayValue(const FieldInfo &f, double v)
{
    if (!std::isfinite(v))
        return v;
    if (f.step > 0.0)
        v = std::round(v / f.step) * f.step;
    else if (f.integer)
        v = std::round(v);
    return std::clamp(v, f.min, f.max);
}

double fieldValue(const Parameters &p, Field field)
{
    const HardwareConfig &h = p.hardware;
    const ModelConfig &m = p.model;
    switch (field) {
    case Field::DramBandwidth: return h.dramBandwidthBytesPerS;
    case Field::PeakCompute: return h.peakFlopsBf16;
    case Field::SramCapacity: return h.sramCapacityBytes;
    case Field::SramBandwidth: return h.sramBandwidthBytesPerS;
    case Field::DramCapacity: return h.dramCapacityBytes;
    case Field::KvLoraRank: return m.kvLoraRank;
    case Field::QLoraRank: return m.qLoraRank;
    case Field::RopeDim: return m.qkRopeHeadDim;
    case Field::Heads: return m.numHeads;
    case Field::KvHeads: return m.numKvHeads;
    case Field::HeadDim: return m.qkNopeHeadDim;
    case Field::VHeadDim: return m.vHeadDim;
    case Field::HiddenSize: return m.hiddenSize;
    case Field::Layers: return m.numLayers;
    case Field::Batch: return p.workload.batch;
    case Field::KvLength: return double(p.workload.kvLength);
    case Field::QueryLength: return p.workload.queryLength;
    case Field::WeightBits: return p.precision.weightBits;
    case Field::KvBits: return p.precision.kvBits;
    case Field::ActBits: return p.precision.activationBits;
    case Field::EnergyMac16: return h.energyPerMacBf16J;
    case Field::EnergyMac8: return h.energyPerMacFp8J > 0.0 ? h.energyPerMacFp8J : h.energyPerMacBf16J;
    case Field::EnergyDram: return h.energyPerDramByteJ;
    case Field::EnergySram: return h.energyPerSramByteJ;
    case Field::StaticPower: return h.staticPowerW;
    case Field::ComputeDerate: return h.computeDerate;
    case Field::BandwidthDerate: return h.bandwidthDerate;
    case Field::AttentionComputeDerate: return h.attentionComputeDerate;
    case Field::AttentionBandwidthDerate: return h.attentionBandwidthDerate;
    case Field::KernelLatencyFloor: return h.kernelLatencyFloorS;
    case Field::MmaTileRows: return h.mmaTileRows;
    case Field::InterconnectBandwidth: return h.interconnectBandwidthBytesPerS;
    case Field::InterconnectLatency: return h.interconnectLatencyS;
    case Field::TensorParallel: return p.parallel.tensor;
    case Field::DataParallel: return p.parallel.data;
    case Field::ExpertParallel: return p.parallel.expert;
    }
    return 0.0;
}

void setFieldValue(Parameters &p, Field field, double v)
{
    HardwareConfig &h = p.hardware;
    ModelConfig &m = p.model;
    // Integer fields are clamped into int range first so a NaN or a huge value cannot overflow.
    const auto toInt = [](double x) {
        if (!std::isfinite(x))
            return -1;
        return int(std::lround(std::fmin(std::fmax(x, -1.0), 2147483647.0)));
    };
    switch (field) {
    case Field::DramBandwidth: h.dramBandwidthBytesPerS = v; break;
    case Field::PeakCompute: {
        // Only a usable value rescales the narrower peaks; a bad one is left for validate() to report once.
        const double scale = h.peakFlopsBf16 > 0.0 && std::isfinite(v) && v > 0.0 ? v / h.peakFlopsBf16 : 1.0;
        h.peakFlopsBf16 = v;
        h.peakFlopsFp8 *= scale;
        h.peakFlopsFp4 *= scale;
        break;
    }
    case Field::SramCapacity: h.sramCapacityBytes = v; break;
    case Field::SramBandwidth: h.sramBandwidthBytesPerS = v; break;
    case Field::DramCapacity: h.dramCapacityBytes = v; break;
    case Field::KvLoraRank: m.kvLoraRank = toInt(v); break;
    case Field::QLoraRank: m.qLoraRank = toInt(v); break;
    case Field::RopeDim: m.qkRopeHeadDim = toInt(v); break;
    case Field::Heads: m.numHeads = toInt(v); break;
    case Field::KvHeads: m.numKvHeads = toInt(v); break;
    case Field::HeadDim: m.qkNopeHeadDim = toInt(v); break;
    case Field::VHeadDim: m.vHeadDim = toInt(v); break;
    case Field::HiddenSize: m.hiddenSize = toInt(v); break;
    case Field::Layers: m.numLayers = toInt(v); break;
    case Field::Batch: p.workload.batch = toInt(v); break;
    case Field::KvLength: p.workload.kvLength = std::isfinite(v) ? std::llround(std::fmin(std::fmax(v, -1.0), 9e15)) : -1; break;
    case Field::QueryLength: p.workload.queryLength = toInt(v); break;
    case Field::WeightBits: p.precision.weightBits = toInt(v); break;
    case Field::KvBits: p.precision.kvBits = toInt(v); break;
    case Field::ActBits: p.precision.activationBits = toInt(v); break;
    case Field::EnergyMac16: h.energyPerMacBf16J = v; break;
    case Field::EnergyMac8: h.energyPerMacFp8J = v; break;
    case Field::EnergyDram: h.energyPerDramByteJ = v; break;
    case Field::EnergySram: h.energyPerSramByteJ = v; break;
    case Field::StaticPower: h.staticPowerW = v; break;
    case Field::ComputeDerate: h.computeDerate = v; break;
    case Field::BandwidthDerate: h.bandwidthDerate = v; break;
    case Field::AttentionComputeDerate: h.attentionComputeDerate = v; break;
    case Field::AttentionBandwidthDerate: h.attentionBandwidthDerate = v; break;
    case Field::KernelLatencyFloor: h.kernelLatencyFloorS = v; break;
    case Field::MmaTileRows: h.mmaTileRows = toInt(v); break;
    case Field::InterconnectBandwidth: h.interconnectBandwidthBytesPerS = v; break;
    case Field::InterconnectLatency: h.interconnectLatencyS = v; break;
    case Field::TensorParallel: p.parallel.tensor = toInt(v); break;
    case Field::DataParallel: p.parallel.data = toInt(v); break;
    case Field::ExpertParallel: p.parallel.expert = toInt(v); break;
    }
}

} // namespace mlastudio::core
