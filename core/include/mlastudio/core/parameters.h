// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mlastudio::core {

/** The attention a model natively uses (presets), which decides the default schemes. */
enum class AttentionKind {
    Mla,
    Mha,
    Gqa,
};

/**
 * Architecture of the attention part of a transformer. All dimensions are element counts.
 * Symbols follow docs/model.md: d, l, n_h, n_kv, d_h, d_R, d_v, d_c, d_c'.
 */
struct ModelConfig {
    std::string id;                 //!< kebab-case preset id, e.g. "deepseek-v3"
    std::string name;               //!< display name
    std::string source;             //!< where the dimensions come from
    AttentionKind attention = AttentionKind::Mla;
    int hiddenSize = 7168;          //!< d
    int numLayers = 61;             //!< l
    int numHeads = 128;             //!< n_h (query heads)
    int numKvHeads = 8;             //!< n_kv, KV heads of the gqa scheme
    int qkNopeHeadDim = 128;        //!< d_h
    int qkRopeHeadDim = 64;         //!< d_R (decoupled RoPE; 0 for MHA/GQA models)
    int vHeadDim = 128;             //!< d_v
    int kvLoraRank = 512;           //!< d_c (0: the model has no latent, MLA schemes not applicable)
    int qLoraRank = 1536;           //!< d_c' (0: queries projected directly from the hidden state)
    double totalParams = 0.0;       //!< published total (informational; modelParameterCount() computes it)
    // The rest of the layer (docs/model.md §13), as in the model's config.json; 0 where the model has none.
    int intermediateSize = 0;       //!< I, SwiGLU width of the dense FFN layers
    int moeIntermediateSize = 0;    //!< I_e, SwiGLU width of one expert
    int routedExperts = 0;          //!< E (n_routed_experts); 0: every layer is dense
    int sharedExperts = 0;          //!< E_s (n_shared_experts), always active
    int expertsPerToken = 0;        //!< k (num_experts_per_tok)
    int firstDenseLayers = 0;       //!< first_k_dense_replace: layers before the first MoE layer
    int vocabSize = 0;              //!< V, embedding rows and LM-head columns
    bool tiedEmbeddings = false;    //!< the LM head reuses the embedding matrix

    friend bool operator==(const ModelConfig &, const ModelConfig &) = default;
};

/** Peak numbers of an accelerator and its two-level memory hierarchy, in SI base units. */
struct HardwareConfig {
    std::string id;
    std::string name;
    std::string category;
    double peakFlopsBf16 = 989.4e12;    //!< dense FLOP/s with 16-bit operands
    double peakFlopsFp8 = 0.0;          //!< dense FLOP/s with 8-bit operands (0: not supported, use 16-bit)
    double peakFlopsFp4 = 0.0;          //!< dense FLOP/s with 4-bit operands (0: not supported, use 8-bit)
    double dramBandwidthBytesPerS = 3.35e12;
    double dramCapacityBytes = 80e9;
    double sramCapacityBytes = 33.0 * 1024 * 1024;
    double sramBandwidthBytesPerS = 33e12;
    double energyPerMacBf16J = 1.5e-12;
    double energyPerMacFp8J = 0.0;      //!< 0: same as 16-bit
    double energyPerMacFp4J = 0.0;      //!< 0: same as 8-bit
    double energyPerDramByteJ = 7.0e-12 * 8;
    double energyPerSramByteJ = 0.25e-12 * 8;
    double staticPowerW = 0.0;
    int mmaTileRows = 1;                //!< query rows of one tensor-core MMA tile (64 for Hopper WGMMA; 1: no padding)
    double computeDerate = 1.0;         //!< achievable fraction of peak compute in projections (GEMMs)
    double bandwidthDerate = 1.0;       //!< achievable fraction of DRAM bandwidth in projections (GEMMs)
    double attentionComputeDerate = 1.0;   //!< achievable fraction of peak compute in the fused attention kernel
    double attentionBandwidthDerate = 1.0; //!< achievable fraction of DRAM bandwidth in the fused attention kernel
    double kernelLatencyFloorS = 0.0;   //!< shortest time of one kernel launch, in seconds
    double interconnectBandwidthBytesPerS = 450e9; //!< device-to-device bandwidth per direction (0: none; needed for TP > 1)
    double interconnectLatencyS = 0.47e-6; //!< latency of one hop of a collective, in seconds

    friend bool operator==(const HardwareConfig &, const HardwareConfig &) = default;
};

/**
 * How one step is spread over devices (docs/model.md §12, §13): tensor parallelism over the heads and
 * data parallelism over the requests. The system has tensor · data devices; expert parallelism
 * regroups those same devices for the routed experts of the MoE layers (Scope::Model only).
 */
struct Parallelism {
    int tensor = 1; //!< TP: devices sharing each layer's heads (an all-reduce after the output projection)
    int data = 1;   //!< DP: groups of TP devices, each serving its share of the requests
    int expert = 1; //!< EP: devices the routed experts are split over (divides E and TP · DP); an all-to-all per MoE layer

    friend bool operator==(const Parallelism &, const Parallelism &) = default;
};

enum class Phase {
    Decode,
    Prefill,
};

/** What one step processes. */
struct Workload {
    Phase phase = Phase::Decode;
    int batch = 1;              //!< B, requests processed together
    long long kvLength = 4096;  //!< L, tokens attended per request, including the new ones
    int queryLength = 1;        //!< S, new tokens per request this step (decode); prefill uses S = L

    friend bool operator==(const Workload &, const Workload &) = default;
};

/** Storage precision of each class of tensor, in bits per element (4, 8 or 16). */
struct Precision {
    int weightBits = 16;
    int kvBits = 16;
    int activationBits = 16;

    friend bool operator==(const Precision &, const Precision &) = default;
};

/** What one evaluation covers. */
enum class Scope {
    Step,   //!< every attention operator of all layers for one step (the default): "attention only"
    Kernel, //!< only the attention kernel of one layer: what a kernel benchmark times
    Model,  //!< the whole model for one step: attention, FFN/MoE, embedding and LM head (docs/model.md §13)
};

/** Everything one evaluation needs. */
struct Parameters {
    ModelConfig model;
    HardwareConfig hardware;
    Workload workload;
    Precision precision;
    Parallelism parallel;
    bool applyDerates = false;  //!< realistic kernels: efficiencies, tile padding, imperfect overlap, latency floor
    Scope scope = Scope::Step;

    /** Member by member (a sweep is reused while only its own axis field differs). */
    friend bool operator==(const Parameters &, const Parameters &) = default;
};

/** \return "step", "kernel" or "model". */
std::string_view scopeId(Scope scope);
/** \return the scope with this id, if any. */
std::optional<Scope> scopeFromId(std::string_view id);

/** \return the number of new query tokens per request in this step (S; L for prefill). */
long long queryTokensPerRequest(const Workload &workload);

} // namespace mlastudio::core
