// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/parameters.h"
#include "mlastudio/core/scheme.h"

#include <array>
#include <type_traits>
#include <string>
#include <string_view>

namespace mlastudio::core {

/**
 * Operators of one step: those of an attention layer, and under Scope::Model those of the rest of the
 * model (embedding to LM head). Ids are documented in docs/model.md.
 */
enum class OperatorKind {
    QDown,          //!< "q_down": h · W_DQ (query latent)
    QUp,            //!< "q_up": c_Q · [W_UQ; W_QR] (per-head nope and rope queries)
    QUpRope,        //!< "q_up_rope": c_Q · W_QR only (merged scheme)
    QAbsorbMerged,  //!< "q_absorb_merged": c_Q · (W_UQ·W_UK) (merged scheme)
    QProj,          //!< "q_proj": h · W_Q (MHA/GQA/MQA)
    KvDown,         //!< "kv_down": h · [W_DKV; W_KR] (latent and rope key of the new tokens)
    KvProj,         //!< "kv_proj": h · [W_K; W_V] (MHA/GQA/MQA)
    KvUp,           //!< "kv_up": c_KV · [W_UK; W_UV] as its own kernel (naive: new tokens; spilled recompute: all cached tokens)
    CacheAppend,    //!< "cache_append": write the new tokens' cache entries
    QAbsorb,        //!< "q_absorb": q_nope · W_UK per head (reuse)
    Attention,      //!< "attention": the fused attention kernel (QK^T, softmax, PV; fused recompute: also the K/V up-projection)
    OAbsorb,        //!< "o_absorb": o_latent · W_UV per head (reuse)
    OutProj,        //!< "o_proj": o · W_O
    OutMerged,      //!< "o_merged": o_latent · (W_UV·W_O) (merged scheme)
    AllReduce,      //!< "all_reduce": sum of the TP devices' partial outputs after the output projection
    // Scope::Model only (docs/model.md §13):
    Embedding,      //!< "embedding": look up the T new tokens' rows of the embedding table
    FfnDense,       //!< "ffn_dense": SwiGLU FFN of the dense layers (gate, up, down GEMMs)
    MoeRouter,      //!< "moe_router": router logits h · W_router (d × E) of the MoE layers
    MoeShared,      //!< "moe_shared": the shared experts, a SwiGLU of width E_s·I_e every token passes
    MoeRouted,      //!< "moe_routed": the routed experts, k per token; weights of the experts touched
    FfnAllReduce,   //!< "ffn_all_reduce": sum of the TP devices' partial FFN outputs after the down-projection
    AllToAll,       //!< "all_to_all": expert-parallel dispatch of the tokens to their experts and combine back
    LmHead,         //!< "lm_head": logits h · W_LM (d × V) of the tokens whose next token is sampled
};

/** \return true for the operators of Scope::Step (attention and its all-reduce), false for the rest of the model. */
bool isAttentionOperator(OperatorKind kind);

/** \return the operator id used in JSON, CSV and the GUI, e.g. "kv_up". */
std::string_view operatorId(OperatorKind kind);
/** \return one sentence describing what the operator computes. */
std::string_view operatorDescription(OperatorKind kind);

/** Parts of the fused attention operator; they share one roofline (one kernel). */
enum class AttentionPart {
    KvUp,    //!< "kv_up": fused recompute only, latent tiles up-projected to K/V inside the kernel
    Qk,      //!< "qk": scores Q·K^T
    Softmax, //!< "softmax": online softmax of the scores (registers only)
    Pv,      //!< "pv": probabilities times values
};

/** \return "kv_up", "qk", "softmax" or "pv". */
std::string_view attentionPartId(AttentionPart part);

/** Which achievable fractions of the hardware apply to a kernel. */
enum class KernelClass {
    Gemm,       //!< projections and other separate kernels
    Attention,  //!< the fused attention kernel
};

/** Number of FLOPs per score charged to the softmax (max, subtract, exp, sum, scale). */
inline constexpr double kSoftmaxFlopsPerScore = 5.0;

/** Largest number of operators of a step (mla-reuse: 8, the all-reduce under TP, 8 more under Scope::Model). */
inline constexpr int kMaxOperators = 17;
/** Tile height (query rows) of the decode kernels over per-head K and V (MHA/GQA/MQA, naive MLA,
 *  recompute): FlashInfer's mma.sync m16n8k16 tiles; the preset's mma_tile_rows caps it. */
inline constexpr int kPerHeadKvTileRows = 16;
/** Largest number of parts of the fused attention operator. */
inline constexpr int kMaxAttentionParts = 4;

/** One factor of a formula: a symbol of docs/model.md (or a sum such as "(d_c+d_R)") and its value. */
struct FormulaFactor {
    const char *symbol = "";
    double value = 1.0;
};

/**
 * A per-layer count written as a product of symbols, e.g. MACs = B·n_h·P·(d_c+d_R). The cost model
 * computes its numbers from these formulas and the explain view prints them: one source of truth.
 */
struct Formula {
    std::array<FormulaFactor, 6> factors{};
    int count = 0;
    double value() const;
    /** \return e.g. "B·n_h·P·(d_c+d_R)". */
    std::string symbolic() const;
    /** \return the same product with the values, e.g. "1·128·4096·576". */
    std::string substituted() const;
};

// The cost structs start at zero; planStep() zeroes each operator it adds (StepCosts::addOperator()).

/** One part of the fused attention operator, summed over the layers of the scope. */
struct PartCost {
    AttentionPart part = AttentionPart::KvUp;
    double macs = 0.0;           //!< useful multiply-accumulates (softmax: FLOPs / 2)
    double flops = 0.0;          //!< useful FLOPs
    double executedFlops = 0.0;  //!< FLOPs the tensor cores execute (query rows padded to the MMA tile)
    int computeBits = 0;         //!< operand precision of this part's arithmetic
    KernelClass efficiencyClass = KernelClass::Gemm; //!< whose achievable compute fraction it reaches (Attention, or Gemm for a fused GEMM)
};

/** The work and traffic of one operator, summed over all layers of one step. */
struct OperatorCost {
    OperatorKind kind = OperatorKind::QDown;
    double flops = 0.0;         //!< FLOP (2 per multiply-accumulate), useful work
    double executedFlops = 0.0; //!< FLOP the hardware executes: flops, plus tile padding when derates are on
    double macs = 0.0;          //!< multiply-accumulates (energy is charged per MAC; softmax FLOPs count as half a MAC)
    double dramBytes = 0.0;     //!< bytes between DRAM and the chip
    double sramBytes = 0.0;     //!< bytes through on-chip memory (staged DRAM bytes + on-chip-only bytes)
    double weightBytes = 0.0;   //!< weight bytes read from DRAM (part of dramBytes)
    double cacheBytes = 0.0;    //!< KV/latent cache bytes read or written (DRAM and on-chip together)
    int computeBits = 0;        //!< operand precision of the arithmetic (bits)
    KernelClass kernelClass = KernelClass::Gemm;
    double launches = 0.0;      //!< kernel launches (one per layer), for the latency floor
    double queryRowsPerTile = 0.0; //!< attention: S·G query rows sharing one KV tile (0 for other operators)
    double tilePadding = 0.0;   //!< executed / useful FLOPs of QK and PV (1: no padding; 1 for other operators)
    double fusedGemmFlops = 0.0; //!< part of executedFlops that is a GEMM fused into this kernel (fused recompute's kv_up)
    int fusedGemmBits = 0;      //!< operand precision of that GEMM; it reaches the GEMM compute fraction
    double collectiveDevices = 0.0; //!< all_reduce, ffn_all_reduce, all_to_all: N devices taking part (0 for other operators)
    double linkBytes = 0.0;     //!< collectives: bytes of the exchanged tensor per device and direction, summed over the layers
    double layers = 0.0;        //!< layers the operator runs in (l; k_dense or l − k_dense for the FFN; 1 for embedding and LM head)
    double expertsTouched = 0.0; //!< moe_routed: expected distinct routed experts of this device touched per layer
};

/** What on-chip memory did for one step (explained in the GUI and the JSON). */
struct OnChipPlan {
    double capacityBytes = 0.0;         //!< on-chip capacity of the hardware
    double workingSetBytes = 0.0;       //!< capacity at which every operator reaches its compulsory traffic
    double residentCacheBytes = 0.0;    //!< KV/latent cache (all layers, all requests) pinned on chip across steps
    double residentCacheFraction = 0.0; //!< share of the cache read from on-chip memory instead of DRAM
    double attentionPasses = 1.0;       //!< times the cache stream is read per step (head or query blocks that do not fit)
    double upProjectionWeightPasses = 1.0; //!< recompute: times W_UK/W_UV are read per step
    bool recomputeFused = false;        //!< recompute: K/V up-projection inside the attention kernel (else spilled to DRAM)
};

/**
 * Room for N operators whose unused entries are never initialised: the sweep path builds a StepCosts
 * per point, and zeroing all kMaxOperators entries (most of them unused outside Scope::Model) would
 * cost more than filling the used ones. Entries are read only below StepCosts::operatorCount.
 */
static_assert(std::is_trivially_copyable_v<OperatorCost> && std::is_trivially_destructible_v<OperatorCost>,
              "OperatorSlots copies and drops entries without running their constructors");

template <std::size_t N>
class OperatorSlots {
public:
    OperatorSlots() {}  // leaves the entries uninitialised on purpose
    OperatorCost &operator[](std::size_t i) { return m_items[i]; }
    const OperatorCost &operator[](std::size_t i) const { return m_items[i]; }

private:
    union {
        OperatorCost m_items[N];
    };
};

/** All operators of one step of all attention layers (or of one layer's kernel, Scope::Kernel). */
struct StepCosts {
    Scheme scheme = Scheme::Mha;
    OperatorSlots<kMaxOperators> operators;  //!< [0, operatorCount) are set
    int operatorCount = 0;
    std::array<PartCost, kMaxAttentionParts> attentionParts{}; //!< parts of the one fused attention operator
    int attentionPartCount = 0;
    OnChipPlan onChip;
    double tokensPerStep = 0.0;          //!< B·S of the whole system
    double busyDevices = 1.0;            //!< devices with requests: TP · min(DP, B); the operators are one device's
    double idleDevices = 0.0;            //!< TP · max(0, DP − B): data-parallel groups without a request

    /** \return a new operator, all zero, at the end of the list. */
    OperatorCost &addOperator()
    {
        OperatorCost &c = operators[std::size_t(operatorCount++)];
        c = OperatorCost{};
        return c;
    }
};

// ---- Formulas (docs/model.md gives each one) --------------------------------------------------

/** \return bytes per element for a precision in bits (4 → 0.5). */
double bytesPerElement(int bits);

/** \return scored (query, key) pairs per request per head: S·L − S(S−1)/2 (causal within the new tokens). */
double scoredPairsPerHead(double queryLength, double kvLength);

/** \return KV-cache elements per token per layer: mha 2·n_h·d_h; gqa n_kv·(d_h+d_v); mla d_c + d_R; naive n_h·(d_h+d_R+d_v). */
double kvCacheElementsPerTokenPerLayer(const ModelConfig &model, Scheme scheme);

/** \return KV-cache bytes per token for the whole model (all layers). */
double kvCacheBytesPerToken(const ModelConfig &model, Scheme scheme, const Precision &precision);

/** \return attention weight elements of one layer as the scheme reads them. */
double attentionWeightElementsPerLayer(const ModelConfig &model, Scheme scheme);

/** \return bytes of attention weights of all layers. */
double attentionWeightBytes(const ModelConfig &model, Scheme scheme, const Precision &precision);

/**
 * \return weight elements outside attention (docs/model.md §13): embedding and LM head (V·d, once if
 * tied), the dense layers' FFN 3·d·I, the MoE layers' router d·E, shared and routed experts (E_s + E)·3·d·I_e.
 * Norms are not counted (they are not read as GEMM weights).
 */
double ffnAndEmbeddingWeightElements(const ModelConfig &model);

/** \return weight bytes of the whole model as the scheme reads its attention: attention + ffnAndEmbeddingWeightElements(). */
double modelWeightBytes(const ModelConfig &model, Scheme scheme, const Precision &precision);

/**
 * \return weight bytes one device holds: its attention weights (§12), and under Scope::Model its share
 * of the rest (§13): dense FFN, shared experts, embedding and LM head split by TP, the router whole,
 * routed experts E/EP whole experts each (EP > 1) or all E split by TP (EP = 1).
 */
double deviceWeightBytes(const Parameters &params, Scheme scheme);

/** \return DRAM bytes one device needs: deviceWeightBytes() plus the KV cache of its ⌈B/DP⌉·L tokens. */
double dramNeededBytes(const Parameters &params, Scheme scheme);

/** \return layers with a dense FFN: k_dense (at most l), or all l when the model has no routed experts. */
double denseLayerCount(const ModelConfig &model);

/**
 * DRAM bytes of a matrix product A (M×K) · W (K×N) with on-chip capacity C, output excluded.
 * If the smaller operand fits on chip the traffic is compulsory (A + W); otherwise one operand is
 * held in blocks that fit and the other is streamed once per block (the cheaper order is taken).
 * \return bytes read, and through \p passesW the number of times W is read.
 */
double gemmOperandTrafficBytes(double m, double k, double n, double bytesA, double bytesW,
                               double capacityBytes, double *passesW = nullptr, double *passesA = nullptr);

/**
 * Number of passes over a cache stream when S·G query rows (S query tokens, G query heads sharing one
 * KV entry) must keep rowStateBytes each on chip: ceil(S·G / max(1, floor(C / rowStateBytes))).
 */
double attentionPasses(double queryRows, double rowStateBytes, double capacityBytes);

/**
 * \return the per-layer formula of an operator's MACs (projections, kv_up) for this scheme; an
 * operator without arithmetic (cache_append) or the fused attention (see attentionPartFormula) has
 * an empty formula (value 1, count 0).
 */
Formula operatorFormula(const Parameters &params, Scheme scheme, OperatorKind kind);

/** \return the per-layer formula of one part of the fused attention: MACs (softmax: FLOPs). */
Formula attentionPartFormula(const Parameters &params, Scheme scheme, AttentionPart part);

/** \return the KV-cache bytes per token (all layers) as a formula, e.g. (d_c+d_R)·l·b_kv. */
Formula kvCacheFormula(const ModelConfig &model, Scheme scheme, const Precision &precision);

/**
 * \return the part of the model one device holds under tensor parallelism (docs/model.md §12):
 * n_h/TP query heads; for gqa n_kv/TP KV heads, or 1 (replicated) once TP > n_kv. The latent
 * (d_c, d_R), the down-projections and every other dimension are unchanged.
 */
ModelConfig deviceModel(const Parameters &params);

/** \return requests on the busiest device: ⌈B / DP⌉. */
int deviceBatch(const Parameters &params);

/**
 * \return every parameter of the model (docs/model.md §13): embeddings V·d, the LM head V·d (unless
 * tied), per layer the attention weights of its native attention, RMSNorm weights, and a SwiGLU FFN
 * (3·d·I in the first k dense layers; (E + E_s)·3·d·I_e + the router d·E in MoE layers), a final norm.
 */
double modelParameterCount(const ModelConfig &model);

/**
 * \return the expected number of distinct experts that T tokens choosing k of E experts each touch
 * under uniform routing: E·(1 − (1 − k/E)^T) (0 for E = 0).
 */
double expectedDistinctExperts(double experts, double expertsPerToken, double tokens);

/** \return the all-reduce time 2(N−1)/N · bytes / link bandwidth + (N−1) · link latency (0 for N ≤ 1). */
double allReduceTimeS(double devices, double bytes, double linkBytesPerS, double linkLatencyS);

/**
 * \return the time of one MoE layer's all-to-all, dispatch and combine: 2 · [(N−1)/N · bytes / link
 * bandwidth + (N−1) · link latency], bytes = what one device sends in one direction (0 for N ≤ 1).
 */
double allToAllTimeS(double devices, double bytes, double linkBytesPerS, double linkLatencyS);

/** \return S·G: the query rows that share one streamed KV (or latent) entry in the attention kernel. */
double queryRowsPerKvTile(const Parameters &params, Scheme scheme);

/** \return the tensor-core padding factor ⌈rows/tile⌉·tile / rows (1 for rows ≤ 0 or tile ≤ 1). */
double tilePaddingFactor(double queryRows, int tileRows);

/**
 * \return the MMA tile height (query rows) the attention kernel of \p scheme pads to on hardware whose
 * tile is \p presetTileRows (docs/model.md §6): the absorbed MLA kernels use the preset's tile, decode
 * kernels over per-head K/V at most kPerHeadKvTileRows.
 */
int kernelTileRows(Scheme scheme, int presetTileRows);

/** \return peak FLOP/s for arithmetic on operands of \p bits (falls back to the next wider precision). */
inline double peakFlopsForBits(const HardwareConfig &hardware, int bits)
{
    if (bits <= 4 && hardware.peakFlopsFp4 > 0.0)
        return hardware.peakFlopsFp4;
    if (bits <= 8 && hardware.peakFlopsFp8 > 0.0)
        return hardware.peakFlopsFp8;
    return hardware.peakFlopsBf16;
}
/** \return energy of one MAC on operands of \p bits, in joules (same fallback). */
inline double energyPerMacForBits(const HardwareConfig &hardware, int bits)
{
    if (bits <= 4 && hardware.energyPerMacFp4J > 0.0)
        return hardware.energyPerMacFp4J;
    if (bits <= 8 && hardware.energyPerMacFp8J > 0.0)
        return hardware.energyPerMacFp8J;
    return hardware.energyPerMacBf16J;
}

/**
 * Builds the operator list of one step (Scope::Step: the attention of all layers; Scope::Model: the
 * whole model) or of the attention kernel of one layer (Scope::Kernel): FLOPs, DRAM and on-chip bytes
 * of every operator given the hardware's on-chip capacity. Does not validate: call validate() first.
 */
StepCosts planStep(const Parameters &params, Scheme scheme);

} // namespace mlastudio::core
