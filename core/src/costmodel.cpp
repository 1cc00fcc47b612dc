// SPDX-License-Identifier: MIT
#include "mlastudio/core/costmodel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>

namespace mlastudio::core {

std::string_view operatorId(OperatorKind kind)
{
    switch (kind) {
    case OperatorKind::QDown: return "q_down";
    case OperatorKind::QUp: return "q_up";
    case OperatorKind::QUpRope: return "q_up_rope";
    case OperatorKind::QAbsorbMerged: return "q_absorb_merged";
    case OperatorKind::QProj: return "q_proj";
    case OperatorKind::KvDown: return "kv_down";
    case OperatorKind::KvProj: return "kv_proj";
    case OperatorKind::KvUp: return "kv_up";
    case OperatorKind::CacheAppend: return "cache_append";
    case OperatorKind::QAbsorb: return "q_absorb";
    case OperatorKind::Attention: return "attention";
    case OperatorKind::OAbsorb: return "o_absorb";
    case OperatorKind::OutProj: return "o_proj";
    case OperatorKind::OutMerged: return "o_merged";
    case OperatorKind::AllReduce: return "all_reduce";
    case OperatorKind::Embedding: return "embedding";
    case OperatorKind::FfnDense: return "ffn_dense";
    case OperatorKind::MoeRouter: return "moe_router";
    case OperatorKind::MoeShared: return "moe_shared";
    case OperatorKind::MoeRouted: return "moe_routed";
    case OperatorKind::FfnAllReduce: return "ffn_all_reduce";
    case OperatorKind::AllToAll: return "all_to_all";
    case OperatorKind::LmHead: return "lm_head";
    }
    return "?";
}

std::string_view operatorDescription(OperatorKind kind)
{
    switch (kind) {
    case OperatorKind::QDown: return "Query down-projection h·W_DQ into the query latent c_Q (d_c').";
    case OperatorKind::QUp: return "Query up-projection c_Q·[W_UQ; W_QR] into per-head no-RoPE and RoPE queries.";
    case OperatorKind::QUpRope: return "RoPE part of the query up-projection, c_Q·W_QR (the no-RoPE part is merged).";
    case OperatorKind::QAbsorbMerged: return "Merged query projection c_Q·(W_UQ·W_UK) straight into the latent space.";
    case OperatorKind::QProj: return "Query projection h·W_Q.";
    case OperatorKind::KvDown: return "KV down-projection h·[W_DKV; W_KR]: the latent c_KV and the shared RoPE key of the new tokens.";
    case OperatorKind::KvProj: return "Key and value projections h·[W_K; W_V] of the new tokens.";
    case OperatorKind::KvUp: return "KV up-projection c_KV·[W_UK; W_UV] into per-head keys and values, as a kernel of its own.";
    case OperatorKind::CacheAppend: return "Write the new tokens' entries into the KV (or latent) cache.";
    case OperatorKind::QAbsorb: return "Absorb W_UK into the query: q_nope·W_UK per head, so scores are taken against the latent.";
    case OperatorKind::Attention: return "Fused attention kernel (FlashAttention / FlashMLA style): scores Q·K^T, online softmax and P·V in one pass over the cache, scores and probabilities in registers; fused recompute also up-projects the latent tiles inside it.";
    case OperatorKind::OAbsorb: return "Apply W_UV to the latent context per head (absorbed value up-projection).";
    case OperatorKind::OutProj: return "Output projection o·W_O.";
    case OperatorKind::OutMerged: return "Merged output projection o_latent·(W_UV·W_O).";
    case OperatorKind::AllReduce: return "All-reduce of the tensor-parallel devices' partial outputs (T × d) over the interconnect.";
    case OperatorKind::Embedding: return "Embedding lookup: read the rows of the T new tokens from the embedding table (V × d).";
    case OperatorKind::FfnDense: return "Dense SwiGLU FFN of the first k_dense layers: gate and up GEMMs (d × 2I), SiLU·product, down GEMM (I × d).";
    case OperatorKind::MoeRouter: return "MoE router: logits h·W_router (d × E) from which each token picks its k routed experts.";
    case OperatorKind::MoeShared: return "Shared experts of the MoE layers: a SwiGLU of width E_s·I_e that every token passes through.";
    case OperatorKind::MoeRouted: return "Routed experts: each token's k experts (SwiGLU of width I_e); the weights of every expert the step's tokens touch are read (uniform routing).";
    case OperatorKind::FfnAllReduce: return "All-reduce of the tensor-parallel devices' partial FFN outputs (T × d) after the down-projection.";
    case OperatorKind::AllToAll: return "Expert-parallel all-to-all: dispatch each token's hidden state to the devices of its k experts, and combine their outputs back.";
    case OperatorKind::LmHead: return "LM head: logits h·W_LM (d × V) for the tokens whose next token is sampled (decode: every new token; prefill: the last of each request).";
    }
    return "";
}

bool isAttentionOperator(OperatorKind kind)
{
    return int(kind) <= int(OperatorKind::AllReduce);
}

double bytesPerElement(int bits)
{
    return bits / 8.0;
}

double scoredPairsPerHead(double queryLength, double kvLength)
{
    return queryLength * kvLength - queryLength * (queryLength - 1.0) / 2.0;
}

double kvCacheElementsPerTokenPerLayer(const ModelConfig &m, Scheme scheme)
{
    switch (scheme) {
    case Scheme::Mha: return double(m.numHeads) * (m.qkNopeHeadDim + m.vHeadDim);
    case Scheme::Gqa: return double(m.numKvHeads) * (m.qkNopeHeadDim + m.vHeadDim);
    case Scheme::Mqa: return double(m.qkNopeHeadDim + m.vHeadDim);
    case Scheme::MlaReuse:
    case Scheme::MlaRecompute:
    case Scheme::MlaReuseMerged: return double(m.kvLoraRank + m.qkRopeHeadDim);
    case Scheme::MlaNaive: return double(m.numHeads) * (m.qkNopeHeadDim + m.qkRopeHeadDim + m.vHeadDim);
    }
    return 0.0;
}

double kvCacheBytesPerToken(const ModelConfig &model, Scheme scheme, const Precision &precision)
{
    return kvCacheElementsPerTokenPerLayer(model, scheme) * model.numLayers * bytesPerElement(precision.kvBits);
}

namespace {

// Per-layer weight matrix sizes (elements), one function per matrix as in docs/model.md §2.
struct MlaWeights {
    double qDown, qUpNope, qUpRope, kvDown, upK, upV, out, mergedQ, mergedO;
};

MlaWeights mlaWeights(const ModelConfig &m)
{
    const double d = m.hiddenSize, nh = m.numHeads, dh = m.qkNopeHeadDim, dR = m.qkRopeHeadDim,
                 dv = m.vHeadDim, dc = m.kvLoraRank;
    const double qIn = m.qLoraRank > 0 ? double(m.qLoraRank) : d;  // input width of the query up-projection
    MlaWeights w{};
    w.qDown = m.qLoraRank > 0 ? d * m.qLoraRank : 0.0;
    w.qUpNope = qIn * nh * dh;
    w.qUpRope = qIn * nh * dR;
    w.kvDown = d * (dc + dR);
    w.upK = dc * nh * dh;
    w.upV = dc * nh * dv;
    w.out = nh * dv * d;
    w.mergedQ = qIn * nh * dc;
    w.mergedO = nh * dc * d;
    return w;
}

double kvHeadsOf(const ModelConfig &m, Scheme scheme)
{
    switch (scheme) {
    case Scheme::Gqa: return m.numKvHeads;
    case Scheme::Mqa: return 1.0;
    default: return m.numHeads;
    }
}

} // namespace

double attentionWeightElementsPerLayer(const ModelConfig &m, Scheme scheme)
{
    const double d = m.hiddenSize, nh = m.numHeads, dh = m.qkNopeHeadDim, dv = m.vHeadDim;
    switch (scheme) {
    case Scheme::Mha:
    case Scheme::Gqa:
    case Scheme::Mqa:
        return d * nh * dh + d * kvHeadsOf(m, scheme) * (dh + dv) + nh * dv * d;
    case Scheme::MlaReuse:
    case Scheme::MlaRecompute:
    case Scheme::MlaNaive: {
        const MlaWeights w = mlaWeights(m);
        return w.qDown + w.qUpNope + w.qUpRope + w.kvDown + w.upK + w.upV + w.out;
    }
    case Scheme::MlaReuseMerged: {
        const MlaWeights w = mlaWeights(m);
        return w.qDown + w.qUpRope + w.mergedQ + w.kvDown + w.mergedO;
    }
    }
    return 0.0;
}

double attentionWeightBytes(const ModelConfig &model, Scheme scheme, const Precision &precision)
{
    return attentionWeightElementsPerLayer(model, scheme) * model.numLayers * bytesPerElement(precision.weightBits);
}

namespace {

// Weight elements outside attention that one device holds (docs/model.md §13).
double restWeightElements(const ModelConfig &m, double tp, double ep)
{
    const double d = m.hiddenSize;
    const double dense = denseLayerCount(m), moe = double(m.numLayers) - dense;
    const double expert = 3.0 * d * m.moeIntermediateSize;
    const double routed = ep > 1.0 ? double(m.routedExperts) / ep * expert : double(m.routedExperts) * expert / tp;
    const double moeLayer = d * m.routedExperts + double(m.sharedExperts) * expert / tp + routed;
    const double vocabulary = double(m.vocabSize) * d * (m.tiedEmbeddings ? 1.0 : 2.0) / tp;
    return vocabulary + dense * 3.0 * d * m.intermediateSize / tp + (moe > 0.0 ? moe * moeLayer : 0.0);
}

} // namespace

double denseLayerCount(const ModelConfig &m)
{
    if (m.routedExperts <= 0)
        return m.numLayers;
    return std::clamp(double(m.firstDenseLayers), 0.0, double(m.numLayers));
}

double ffnAndEmbeddingWeightElements(const ModelConfig &model)
{
    return restWeightElements(model, 1.0, 1.0);
}

double modelWeightBytes(const ModelConfig &model, Scheme scheme, const Precision &precision)
{
    return attentionWeightBytes(model, scheme, precision)
           + ffnAndEmbeddingWeightElements(model) * bytesPerElement(precision.weightBits);
}

double deviceWeightBytes(const Parameters &p, Scheme scheme)
{
    const bool split = p.parallel.tensor > 1 || p.parallel.data > 1;
    const double attention = attentionWeightBytes(split ? deviceModel(p) : p.model, scheme, p.precision);
    if (p.scope != Scope::Model)
        return attention;
    return attention + restWeightElements(p.model, std::max(1, p.parallel.tensor), std::max(1, p.parallel.expert))
                           * bytesPerElement(p.precision.weightBits);
}

double dramNeededBytes(const Parameters &p, Scheme scheme)
{
    if (p.parallel.tensor > 1 || p.parallel.data > 1) {
        const ModelConfig m = deviceModel(p);
        return deviceWeightBytes(p, scheme)
               + kvCacheBytesPerToken(m, scheme, p.precision) * double(p.workload.kvLength) * deviceBatch(p);
    }
    return deviceWeightBytes(p, scheme)
           + kvCacheBytesPerToken(p.model, scheme, p.precision) * double(p.workload.kvLength) * p.workload.batch;
}

namespace {

// Inlined into planStep's loop; the public functions below call the same code.
[[gnu::always_inline]] inline double gemmTraffic(double m, double k, double n, double bytesA, double bytesW,
                                                 double capacityBytes, double &passesW, double &passesA)
{
    const double a = m * k * bytesA;
    const double w = k * n * bytesW;
    double pw = 1.0, pa = 1.0;
    if (std::min(a, w) > capacityBytes) {
        // Hold a block of A rows (or W columns) on chip and stream the other operand once per block.
        const double rowsA = std::max(1.0, std::floor(capacityBytes / (k * bytesA)));
        const double colsW = std::max(1.0, std::floor(capacityBytes / (k * bytesW)));
        const double streamW = std::ceil(m / rowsA);
        const double streamA = std::ceil(n / colsW);
        if (a + w * streamW <= w + a * streamA)
            pw = streamW;
        else
            pa = streamA;
    }
    passesW = pw;
    passesA = pa;
    return a * pa + w * pw;
}

[[gnu::always_inline]] inline double passesOf(double queryRows, double rowStateBytes, double capacityBytes)
{
    const double rowsFit = std::max(1.0, std::floor(capacityBytes / rowStateBytes));
    return std::ceil(queryRows / rowsFit);
}

} // namespace

double gemmOperandTrafficBytes(double m, double k, double n, double bytesA, double bytesW,
                               double capacityBytes, double *passesW, double *passesA)
{
    double pw = 1.0, pa = 1.0;
    const double bytes = gemmTraffic(m, k, n, bytesA, bytesW, capacityBytes, pw, pa);
    if (passesW)
        *passesW = pw;
    if (passesA)
        *passesA = pa;
    return bytes;
}

double attentionPasses(double queryRows, double rowStateBytes, double capacityBytes)
{
    return passesOf(queryRows, rowStateBytes, capacityBytes);
}

std::string_view attentionPartId(AttentionPart part)
{
    switch (part) {
    case AttentionPart::KvUp: return "kv_up";
    case AttentionPart::Qk: return "qk";
    case AttentionPart::Softmax: return "softmax";
    case AttentionPart::Pv: return "pv";
    }
    return "?";
}

double Formula::value() const
{
    double v = 1.0;
    for (int i = 0; i < count; ++i)
        v *= factors[std::size_t(i)].value;
    return v;
}

namespace {

std::string numberText(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return buf;
}

} // namespace

std::string Formula::symbolic() const
{
    std::string out;
    for (int i = 0; i < count; ++i)
        out += (i ? "·" : "") + std::string(factors[std::size_t(i)].symbol);
    return count ? out : "0";
}

std::string Formula::substituted() const
{
    std::string out;
    for (int i = 0; i < count; ++i)
        out += (i ? "·" : "") + numberText(factors[std::size_t(i)].value);
    return count ? out : "0";
}

// The latent kernels (FlashMLA, FA4's MLA) run the preset's WGMMA / tcgen05 tiles. Kernels over
// per-head K and V have few query rows per KV head in decode; production decode kernels run those on
// 16-row mma.sync tiles (FlashInfer's tensor-core decode) or on CUDA cores, so they pad to at most 16.
int kernelTileRows(Scheme scheme, int presetTileRows)
{
    const bool latent = scheme == Scheme::MlaReuse || scheme == Scheme::MlaReuseMerged;
    return latent ? presetTileRows : std::min(presetTileRows, kPerHeadKvTileRows);
}

double tilePaddingFactor(double queryRows, int tileRows)
{
    if (!(queryRows > 0.0) || tileRows <= 1)
        return 1.0;
    return std::ceil(queryRows / tileRows) * tileRows / queryRows;
}

namespace {

// A stream of cache (or spilled K/V) bytes that goes past the on-chip query state of S·G rows.
// A stream of cache (or spilled K/V) bytes that goes past the on-chip query state of S·G rows.
struct Stream {
    double bytes;         // bytes of one read of the whole stream (all requests, one layer)
    double queryRows;     // S·G rows that share each streamed entry
    double rowStateBytes; // on-chip state per query row
    enum Source { Cache, Spilled, OnChip } source;
};

// One operator before the on-chip capacity is known. Left uninitialised on purpose: this is the hot
// path of every sweep, and StepBuilder::add() sets every member that is read without being written
// first (the GEMM shape only when `gemm`, the streams only below `streamCount`).
struct OpSpec {
    OperatorKind kind;
    KernelClass kernelClass;
    int computeBits;
    double macs;
    double extraFlops;    // FLOPs that are not MACs (softmax)
    double executedFlops; // FLOPs executed including tile padding
    // Matrix product part: A (M×K, per group) · W (K×N, per group), `groups` independent products.
    bool gemm;
    double m, k, n, groups, bytesA, bytesW;
    bool aFromCache;      // A is the latent cache (recompute's kv_up)
    std::array<Stream, 3> streams;
    int streamCount;
    double dramOther;     // activations read or written through DRAM
    double sramOnly;      // intermediates that never leave the chip
    double cacheWrite;    // new cache entries
    double queryRows;
    double tilePadding;   // set for the attention operator
    bool hasParts;        // the attention operator: its parts are the builder's
    double layerCount;    // layers it runs in; 0: every layer of the scope
    double launchesPerLayer;
    double dramWeights;   // weight bytes read without a GEMM (embedding rows)

    // Capacity at which this operator reaches its compulsory traffic.
    double fitBytes() const
    {
        double fit = 0.0;
        if (gemm)
            fit = std::min(m * k * bytesA, k * n * bytesW);
        for (int i = 0; i < streamCount; ++i)
            if (streams[i].source != Stream::OnChip)
                fit = std::max(fit, streams[i].queryRows * streams[i].rowStateBytes);
        return fit;
    }
};

struct Dims {
    Scheme scheme;
    double d, nh, nkv, dh, dR, dv, dc, dq, B, L, S, T, P, l;
    double bw, bk, ba;
    int wBits, kBits, aBits;
    // The rest of the model, one device's share (Scope::Model only; zero otherwise, docs/model.md §13).
    double I, Ie, Is, E, k, Et, Te, V, Tlm, denseLayers, moeLayers, tp, ep;
};

// ---- The formulas (docs/model.md §4), each written once as a product of symbols. ----------------

[[gnu::always_inline]] inline FormulaFactor fac(const char *symbol, double value)
{
    return {symbol, value};
}

// A matrix product [groups ×] M × K × N; K and N may be products of several symbols.
struct GemmShape {
    Formula formula;
    double groups = 1.0, m = 0.0, k = 1.0, n = 1.0;
    double macs() const { return groups * m * k * n; }  // = formula.value()
};

[[gnu::always_inline]] inline GemmShape gemm(FormulaFactor m, std::initializer_list<FormulaFactor> k, std::initializer_list<FormulaFactor> n,
               const FormulaFactor *groups = nullptr)
{
    GemmShape g;
    Formula &f = g.formula;
    if (groups) {
        f.factors[std::size_t(f.count++)] = *groups;
        g.groups = groups->value;
    }
    f.factors[std::size_t(f.count++)] = m;
    g.m = m.value;
    for (const FormulaFactor &x : k) {
        f.factors[std::size_t(f.count++)] = x;
        g.k *= x.value;
    }
    for (const FormulaFactor &x : n) {
        f.factors[std::size_t(f.count++)] = x;
        g.n *= x.value;
    }
    return g;
}

[[gnu::always_inline]] inline double kvHeads(const Dims &x)
{
    switch (x.scheme) {
    case Scheme::Gqa: return x.nkv;
    case Scheme::Mqa: return 1.0;
    default: return x.nh;
    }
}

[[gnu::always_inline]] inline FormulaFactor kvHeadsFactor(const Dims &x)
{
    switch (x.scheme) {
    case Scheme::Gqa: return fac("n_kv", x.nkv);
    case Scheme::Mqa: return fac("1", 1.0);
    default: return fac("n_h", x.nh);
    }
}

[[gnu::always_inline]] inline GemmShape gemmShapeOf(const Dims &x, OperatorKind kind)
{
    const FormulaFactor T = fac("T", x.T), d = fac("d", x.d), nh = fac("n_h", x.nh), dh = fac("d_h", x.dh),
                        dR = fac("d_R", x.dR), dv = fac("d_v", x.dv), dc = fac("d_c", x.dc),
                        qIn = x.dq > 0 ? fac("d_c'", x.dq) : d;
    switch (kind) {
    case OperatorKind::QDown: return gemm(T, {d}, {fac("d_c'", x.dq)});
    case OperatorKind::QUp: return gemm(T, {qIn}, {nh, fac("(d_h+d_R)", x.dh + x.dR)});
    case OperatorKind::QUpRope: return gemm(T, {qIn}, {nh, dR});
    case OperatorKind::QAbsorbMerged: return gemm(T, {qIn}, {nh, dc});
    case OperatorKind::QProj: return gemm(T, {d}, {nh, dh});
    case OperatorKind::KvDown: return gemm(T, {d}, {fac("(d_c+d_R)", x.dc + x.dR)});
    case OperatorKind::KvProj: return gemm(T, {d}, {kvHeadsFactor(x), fac("(d_h+d_v)", x.dh + x.dv)});
    case OperatorKind::KvUp:
        // Recompute up-projects every cached token each step; naive only the new ones.
        return gemm(x.scheme == Scheme::MlaRecompute ? fac("B·L", x.B * x.L) : T, {dc},
                    {nh, fac("(d_h+d_v)", x.dh + x.dv)});
    case OperatorKind::QAbsorb: return gemm(T, {dh}, {dc}, &nh);
    case OperatorKind::OAbsorb: return gemm(T, {dc}, {dv}, &nh);
    case OperatorKind::OutProj: return gemm(T, {nh, dv}, {d});
    case OperatorKind::OutMerged: return gemm(T, {nh, dc}, {d});
    case OperatorKind::FfnDense: return gemm(T, {d}, {fac("3", 3.0), fac("I", x.I)});
    case OperatorKind::MoeRouter: return gemm(T, {d}, {fac("E", x.E)});
    case OperatorKind::MoeShared: return gemm(T, {d}, {fac("3", 3.0), fac("E_s·I_e", x.Is)});
    case OperatorKind::MoeRouted: {
        // E_t grouped products (one per touched expert) of T_e / E_t rows each: T_e·d·3·I_e MACs.
        GemmShape g = gemm(fac("T_e", x.Te), {d}, {fac("3", 3.0), fac("I_e", x.Ie)});
        g.groups = std::max(x.Et, 1e-300);
        g.m = x.Te / g.groups;
        return g;
    }
    case OperatorKind::LmHead: return gemm(fac("T_lm", x.Tlm), {d}, {fac("V", x.V)});
    case OperatorKind::CacheAppend:
    case OperatorKind::Attention:
    case OperatorKind::AllReduce:
    case OperatorKind::Embedding:
    case OperatorKind::FfnAllReduce:
    case OperatorKind::AllToAll: break;
    }
    return {};
}

// Score width and context width of the attention kernel.
[[gnu::always_inline]] inline FormulaFactor scoreWidth(const Dims &x)
{
    switch (x.scheme) {
    case Scheme::Mha:
    case Scheme::Gqa:
    case Scheme::Mqa: return fac("d_h", x.dh);
    case Scheme::MlaReuse:
    case Scheme::MlaReuseMerged: return fac("(d_c+d_R)", x.dc + x.dR);
    case Scheme::MlaNaive:
    case Scheme::MlaRecompute: return fac("(d_h+d_R)", x.dh + x.dR);
    }
    return fac("d_h", x.dh);
}

[[gnu::always_inline]] inline FormulaFactor contextWidth(const Dims &x)
{
    const bool latent = x.scheme == Scheme::MlaReuse || x.scheme == Scheme::MlaReuseMerged;
    return latent ? fac("d_c", x.dc) : fac("d_v", x.dv);
}

[[gnu::always_inline]] inline Formula partFormulaOf(const Dims &x, AttentionPart part)
{
    Formula f;
    const auto add = [&f](FormulaFactor v) { f.factors[std::size_t(f.count++)] = v; };
    switch (part) {
    case AttentionPart::KvUp: return gemmShapeOf(x, OperatorKind::KvUp).formula;
    case AttentionPart::Softmax: add(fac("5", kSoftmaxFlopsPerScore)); break;
    case AttentionPart::Qk:
    case AttentionPart::Pv: break;
    }
    add(fac("B", x.B));
    add(fac("n_h", x.nh));
    add(fac("P", x.P));
    if (part == AttentionPart::Qk)
        add(scoreWidth(x));
    else if (part == AttentionPart::Pv)
        add(contextWidth(x));
    return f;
}

// S·G: query rows that read each streamed KV entry (GQA groups, all heads for the shared latent).
[[gnu::always_inline]] inline double rowsPerTile(const Dims &x)
{
    switch (x.scheme) {
    case Scheme::Mha:
    case Scheme::Gqa:
    case Scheme::Mqa: return x.S * x.nh / kvHeads(x);
    case Scheme::MlaReuse:
    case Scheme::MlaReuseMerged: return x.S * x.nh;
    case Scheme::MlaNaive:
    case Scheme::MlaRecompute: return x.S;
    }
    return x.S;
}

class StepBuilder {
public:
    StepBuilder(const Dims &x, int tileRows) : x(x), tileRows(tileRows) {}

    [[gnu::always_inline]] OpSpec &add(OperatorKind kind, int bits)
    {
        OpSpec &op = specs[std::size_t(count++)];
        op.kind = kind;
        op.kernelClass = KernelClass::Gemm;
        op.computeBits = bits;
        op.macs = op.extraFlops = op.executedFlops = 0.0;
        op.gemm = op.aFromCache = op.hasParts = false;
        op.streamCount = 0;
        op.dramOther = op.sramOnly = op.cacheWrite = 0.0;
        op.queryRows = 0.0;
        op.tilePadding = 1.0;
        op.layerCount = 0.0;
        op.launchesPerLayer = 1.0;
        op.dramWeights = 0.0;
        return op;
    }

    // A projection: input activation read, output written to DRAM.
    [[gnu::always_inline]] OpSpec &projection(OperatorKind kind)
    {
        const GemmShape g = gemmShapeOf(x, kind);
        OpSpec &op = add(kind, std::max(x.wBits, x.aBits));
        op.gemm = true;
        op.m = g.m, op.k = g.k, op.n = g.n, op.groups = g.groups;
        op.bytesA = x.ba;
        op.bytesW = x.bw;
        op.macs = g.macs();
        op.executedFlops = 2.0 * op.macs;
        op.dramOther = g.m * g.n * g.groups * x.ba;  // output activation
        return op;
    }

    const Dims &x;
    const int tileRows;  // 1 in the ideal model
    std::array<OpSpec, kMaxOperators> specs;  // only the first `count` are initialised (add())
    int count = 0;
    std::array<PartCost, kMaxAttentionParts> parts;  // of the one attention operator
    int partCount = 0;
};

[[gnu::always_inline]] inline void addPart(StepBuilder &b, OpSpec &op, AttentionPart part, const Formula &f,
                                           double padding, int bits,
                                           KernelClass efficiencyClass = KernelClass::Attention)
{
    op.hasParts = true;
    PartCost &p = b.parts[std::size_t(b.partCount++)];
    p.part = part;
    p.computeBits = bits;
    p.efficiencyClass = efficiencyClass;
    const double v = f.value();
    if (part == AttentionPart::Softmax) {
        p.flops = v;
        p.macs = v / 2.0;
        op.extraFlops += v;
    } else {
        p.macs = v;
        p.flops = 2.0 * v;
        op.macs += v;
    }
    p.executedFlops = p.flops * padding;
    op.executedFlops += p.executedFlops;
}

// The fused attention kernel: QK^T, softmax and PV over the streams in one pass. Scores and
// probabilities stay in registers, so they carry no on-chip traffic. With \p fusedUp (fused
// recompute) the latent tiles are up-projected inside the kernel first.
[[gnu::always_inline]] inline OpSpec &addAttention(StepBuilder &b, std::initializer_list<Stream> streams, int bits,
                                                   const GemmShape *fusedUp = nullptr)
{
    const Dims &x = b.x;
    OpSpec &a = b.add(OperatorKind::Attention, bits);
    a.kernelClass = KernelClass::Attention;
    a.queryRows = rowsPerTile(x);
    a.tilePadding = tilePaddingFactor(a.queryRows, kernelTileRows(x.scheme, b.tileRows));
    if (fusedUp) {
        // Its GEMM reads the latent from the cache and W_UK/W_UV; the K/V tiles stay on chip.
        // A GEMM inside the kernel still runs at GEMM efficiency and at its own operand precision.
        addPart(b, a, AttentionPart::KvUp, fusedUp->formula, 1.0, std::max(x.wBits, x.kBits), KernelClass::Gemm);
        a.gemm = true;
        a.m = fusedUp->m, a.k = fusedUp->k, a.n = fusedUp->n, a.groups = fusedUp->groups;
        a.bytesA = x.bk;
        a.bytesW = x.bw;
        a.aFromCache = true;
        a.sramOnly = x.B * x.L * x.nh * (x.dh + x.dv) * x.ba;
    }
    addPart(b, a, AttentionPart::Qk, partFormulaOf(x, AttentionPart::Qk), a.tilePadding, bits);
    addPart(b, a, AttentionPart::Softmax, partFormulaOf(x, AttentionPart::Softmax), 1.0, bits);
    addPart(b, a, AttentionPart::Pv, partFormulaOf(x, AttentionPart::Pv), a.tilePadding, bits);
    for (const Stream &s : streams)
        if (s.bytes > 0.0)
            a.streams[std::size_t(a.streamCount++)] = s;
    // Queries in, context out.
    a.dramOther = x.T * x.nh * (scoreWidth(x).value + contextWidth(x).value) * x.ba;
    return a;
}

[[gnu::always_inline]] inline void addCacheAppend(StepBuilder &b, double elementsPerToken)
{
    OpSpec &op = b.add(OperatorKind::CacheAppend, b.x.kBits);
    op.cacheWrite = b.x.T * elementsPerToken * b.x.bk;
}

[[gnu::always_inline]] inline void buildMha(StepBuilder &b)
{
    const Dims &x = b.x;
    const double nkv = kvHeads(x);
    b.projection(OperatorKind::QProj);
    b.projection(OperatorKind::KvProj);
    addCacheAppend(b, nkv * (x.dh + x.dv));
    const double rowState = (x.dh + x.dv) * x.ba;
    const double rows = rowsPerTile(x);
    const Stream k{x.B * x.L * nkv * x.dh * x.bk, rows, rowState, Stream::Cache};
    const Stream v{x.B * x.L * nkv * x.dv * x.bk, rows, rowState, Stream::Cache};
    addAttention(b, {k, v}, std::max(x.kBits, x.aBits));
    b.projection(OperatorKind::OutProj);
}

// q_down (if any) and the query up-projection of the MLA schemes, except the merged one.
[[gnu::always_inline]] inline void addMlaQuery(StepBuilder &b, bool ropeOnly)
{
    if (b.x.dq > 0)
        b.projection(OperatorKind::QDown);
    b.projection(ropeOnly ? OperatorKind::QUpRope : OperatorKind::QUp);
}

[[gnu::always_inline]] inline void buildMlaReuse(StepBuilder &b, bool merged)
{
    const Dims &x = b.x;
    addMlaQuery(b, merged);
    if (merged)
        b.projection(OperatorKind::QAbsorbMerged);
    b.projection(OperatorKind::KvDown);
    addCacheAppend(b, x.dc + x.dR);
    if (!merged)
        b.projection(OperatorKind::QAbsorb);
    // The latent tile is read once and serves as both K and V for all n_h heads.
    const Stream latent{x.B * x.L * (x.dc + x.dR) * x.bk, x.S * x.nh, (2.0 * x.dc + x.dR) * x.ba, Stream::Cache};
    addAttention(b, {latent}, std::max(x.kBits, x.aBits));
    if (merged) {
        b.projection(OperatorKind::OutMerged);
    } else {
        b.projection(OperatorKind::OAbsorb);
        b.projection(OperatorKind::OutProj);
    }
}

[[gnu::always_inline]] inline void buildMlaNaive(StepBuilder &b)
{
    const Dims &x = b.x;
    addMlaQuery(b, false);
    b.projection(OperatorKind::KvDown);
    b.projection(OperatorKind::KvUp);
    addCacheAppend(b, x.nh * (x.dh + x.dR + x.dv));
    const double rowState = (x.dh + x.dR + x.dv) * x.ba;
    const Stream k{x.B * x.L * x.nh * (x.dh + x.dR) * x.bk, x.S, rowState, Stream::Cache};
    const Stream v{x.B * x.L * x.nh * x.dv * x.bk, x.S, rowState, Stream::Cache};
    addAttention(b, {k, v}, std::max(x.kBits, x.aBits));
    b.projection(OperatorKind::OutProj);
}

// Recompute: fused, the up-projection runs inside the attention kernel and K/V tiles stay on chip;
// spilled, kv_up is a kernel of its own that writes K/V to DRAM and attention reads them back.
[[gnu::always_inline]] inline void buildMlaRecompute(StepBuilder &b, bool fused)
{
    const Dims &x = b.x;
    addMlaQuery(b, false);
    b.projection(OperatorKind::KvDown);
    addCacheAppend(b, x.dc + x.dR);
    const GemmShape up = gemmShapeOf(x, OperatorKind::KvUp);
    const double rowState = (x.dh + x.dR + x.dv) * x.ba;
    const Stream::Source src = fused ? Stream::OnChip : Stream::Spilled;
    // Scores read the shared RoPE key from the cache plus the generated no-RoPE keys.
    const Stream kNope{x.B * x.L * x.nh * x.dh * x.ba, x.S, rowState, src};
    const Stream v{x.B * x.L * x.nh * x.dv * x.ba, x.S, rowState, src};
    const Stream kRope{x.B * x.L * x.dR * x.bk, x.S * x.nh, rowState, Stream::Cache};
    const int attentionBits = std::max(x.kBits, x.aBits);
    if (fused) {
        addAttention(b, {kNope, v, kRope}, attentionBits, &up);
    } else {
        OpSpec &k = b.projection(OperatorKind::KvUp);
        k.computeBits = std::max(x.wBits, x.kBits);
        k.bytesA = x.bk;
        k.aFromCache = true;
        k.dramOther = x.B * x.L * x.nh * (x.dh + x.dv) * x.ba;  // K/V spilled to DRAM
        addAttention(b, {kNope, v, kRope}, attentionBits);
    }
    b.projection(OperatorKind::OutProj);
}

// A SwiGLU FFN as one operator of two kernels per layer (gate+up GEMM; SiLU·product fused into the
// down GEMM): h in, the gate/up output (2·width) written and read back, the output (d) written.
[[gnu::always_inline]] inline void addFfn(StepBuilder &b, OperatorKind kind, double layerCount, double tokens, double width)
{
    const Dims &x = b.x;
    OpSpec &op = b.projection(kind);
    op.layerCount = layerCount;
    op.launchesPerLayer = 2.0;
    op.dramOther = (4.0 * tokens * width + tokens * x.d) * x.ba;
}

// Scope::Model: everything outside attention (docs/model.md §13), one device's share.
[[gnu::noinline]] void buildRestOfModel(StepBuilder &b)
{
    const Dims &x = b.x;
    if (x.V > 0.0) {
        // Vocab-parallel table: a device reads the rows of the tokens in its V/TP shard (T/TP on average).
        OpSpec &e = b.add(OperatorKind::Embedding, x.aBits);
        e.layerCount = 1.0;
        e.dramWeights = x.T / x.tp * x.d * x.bw;
        e.dramOther = x.T * x.d * x.ba;
    }
    if (x.denseLayers > 0.0 && x.I > 0.0)
        addFfn(b, OperatorKind::FfnDense, x.denseLayers, x.T, x.I);
    if (x.moeLayers > 0.0) {
        b.projection(OperatorKind::MoeRouter).layerCount = x.moeLayers;
        if (x.Is > 0.0)
            addFfn(b, OperatorKind::MoeShared, x.moeLayers, x.T, x.Is);
        if (x.Ie > 0.0 && x.Te > 0.0)
            addFfn(b, OperatorKind::MoeRouted, x.moeLayers, x.Te, x.Ie);
    }
    if (x.V > 0.0)
        b.projection(OperatorKind::LmHead).layerCount = 1.0;
}

// KV heads one device holds: n_kv/TP, replicated (1) once TP > n_kv.
[[gnu::always_inline]] inline int deviceKvHeads(int kvHeads, int tp)
{
    return tp <= 1 ? kvHeads : std::max(1, kvHeads / tp);
}

// The rest of the model as one device sees it (docs/model.md §13): dense FFN, shared experts, vocabulary
// split by TP; routed experts split by TP (EP = 1) or E/EP whole experts per device (EP > 1).
[[gnu::noinline]] void fillModelDims(Dims &x, const Parameters &p)
{
    const ModelConfig &m = p.model;
    const double tp = std::max(1, p.parallel.tensor), ep = std::max(1, p.parallel.expert);
    x.tp = tp;
    x.ep = ep;
    x.denseLayers = denseLayerCount(m);
    x.moeLayers = x.l - x.denseLayers;
    x.I = m.intermediateSize / tp;
    x.E = m.routedExperts;
    x.k = m.expertsPerToken;
    x.Is = double(m.sharedExperts) * m.moeIntermediateSize / tp;
    // Token–expert pairs per device: the T tokens of a TP group are shared by its TP devices.
    x.Te = x.T * x.k / tp;
    if (ep > 1.0) {
        // The device's E/EP experts see the distinct tokens of its EP group: EP · T/TP.
        x.Ie = m.moeIntermediateSize;
        x.Et = expectedDistinctExperts(x.E, x.k, ep * x.T / tp) / ep;
    } else {
        x.Ie = m.moeIntermediateSize / tp;
        x.Et = expectedDistinctExperts(x.E, x.k, x.T);
    }
    x.V = m.vocabSize / tp;
    x.Tlm = p.workload.phase == Phase::Prefill ? x.B : x.T;
}

// The dimensions one device sees (docs/model.md §12): heads and GQA KV heads split by TP, requests by DP.
[[gnu::always_inline]] inline Dims dimsOf(const Parameters &p, Scheme scheme)
{
    const ModelConfig &m = p.model;
    const int tp = p.parallel.tensor;
    Dims x{};
    x.scheme = scheme;
    x.d = m.hiddenSize;
    x.nh = tp > 1 ? m.numHeads / tp : m.numHeads;
    x.nkv = deviceKvHeads(m.numKvHeads, tp);
    x.dh = m.qkNopeHeadDim;
    x.dR = m.qkRopeHeadDim;
    x.dv = m.vHeadDim;
    x.dc = m.kvLoraRank;
    x.dq = m.qLoraRank;
    x.l = m.numLayers;
    x.B = p.parallel.data > 1 ? deviceBatch(p) : p.workload.batch;
    x.L = double(p.workload.kvLength);
    x.S = double(queryTokensPerRequest(p.workload));
    x.T = x.B * x.S;
    x.P = scoredPairsPerHead(x.S, x.L);
    x.wBits = p.precision.weightBits;
    x.kBits = p.precision.kvBits;
    x.aBits = p.precision.activationBits;
    x.bw = bytesPerElement(x.wBits);
    x.bk = bytesPerElement(x.kBits);
    x.ba = bytesPerElement(x.aBits);
    if (p.scope == Scope::Model) [[unlikely]]
        fillModelDims(x, p);
    return x;
}

// Operators that make up the attention kernel of Scope::Kernel.
bool inKernelScope(OperatorKind kind, Scheme scheme)
{
    return kind == OperatorKind::Attention || (kind == OperatorKind::KvUp && scheme == Scheme::MlaRecompute);
}

} // namespace

ModelConfig deviceModel(const Parameters &p)
{
    ModelConfig m = p.model;
    if (p.parallel.tensor > 1) {
        m.numHeads = m.numHeads / p.parallel.tensor;
        m.numKvHeads = deviceKvHeads(m.numKvHeads, p.parallel.tensor);
    }
    return m;
}

int deviceBatch(const Parameters &p)
{
    const int dp = std::max(1, p.parallel.data);
    return (p.workload.batch + dp - 1) / dp;
}

double modelParameterCount(const ModelConfig &m)
{
    const double d = m.hiddenSize, l = m.numLayers;
    const Scheme native = m.attention == AttentionKind::Mla ? Scheme::MlaReuse
                          : m.attention == AttentionKind::Gqa ? Scheme::Gqa
                                                              : Scheme::Mha;
    // RMSNorm weights: before attention and FFN; MLA also normalises its two latents.
    const double norms = 2.0 * d + (m.attention == AttentionKind::Mla ? double(m.qLoraRank) + m.kvLoraRank : 0.0);
    const double attention = attentionWeightElementsPerLayer(m, native);
    const double denseFfn = 3.0 * d * m.intermediateSize;
    const bool moe = m.routedExperts > 0;
    const double moeLayers = moe ? std::max(0.0, l - m.firstDenseLayers) : 0.0;
    const double moeFfn = (double(m.routedExperts) + m.sharedExperts) * 3.0 * d * m.moeIntermediateSize
                          + d * m.routedExperts;
    const double embeddings = double(m.vocabSize) * d * (m.tiedEmbeddings ? 1.0 : 2.0);
    return embeddings + d + l * (attention + norms) + (l - moeLayers) * denseFfn + moeLayers * moeFfn;
}

double expectedDistinctExperts(double e, double k, double t)
{
    if (e <= 0.0 || k <= 0.0 || t <= 0.0)
        return 0.0;
    return e * (1.0 - std::pow(1.0 - std::min(1.0, k / e), t));
}

double allReduceTimeS(double n, double bytes, double linkBytesPerS, double linkLatencyS)
{
    if (n <= 1.0)
        return 0.0;
    return 2.0 * (n - 1.0) / n * bytes / linkBytesPerS + (n - 1.0) * linkLatencyS;
}

double allToAllTimeS(double n, double bytes, double linkBytesPerS, double linkLatencyS)
{
    if (n <= 1.0)
        return 0.0;
    return 2.0 * ((n - 1.0) / n * bytes / linkBytesPerS + (n - 1.0) * linkLatencyS);
}

std::string_view scopeId(Scope scope)
{
    switch (scope) {
    case Scope::Step: return "step";
    case Scope::Kernel: return "kernel";
    case Scope::Model: return "model";
    }
    return "step";
}

std::optional<Scope> scopeFromId(std::string_view id)
{
    if (id == "step")
        return Scope::Step;
    if (id == "kernel")
        return Scope::Kernel;
    if (id == "model")
        return Scope::Model;
    return std::nullopt;
}

long long queryTokensPerRequest(const Workload &w)
{
    return w.phase == Phase::Prefill ? w.kvLength : w.queryLength;
}

Formula operatorFormula(const Parameters &params, Scheme scheme, OperatorKind kind)
{
    return gemmShapeOf(dimsOf(params, scheme), kind).formula;
}

Formula attentionPartFormula(const Parameters &params, Scheme scheme, AttentionPart part)
{
    return partFormulaOf(dimsOf(params, scheme), part);
}

Formula kvCacheFormula(const ModelConfig &m, Scheme scheme, const Precision &precision)
{
    Formula f;
    const auto add = [&f](FormulaFactor v) { f.factors[std::size_t(f.count++)] = v; };
    const double dh = m.qkNopeHeadDim, dv = m.vHeadDim, dR = m.qkRopeHeadDim;
    switch (scheme) {
    case Scheme::Mha: add(fac("n_h", m.numHeads)); add(fac("(d_h+d_v)", dh + dv)); break;
    case Scheme::Gqa: add(fac("n_kv", m.numKvHeads)); add(fac("(d_h+d_v)", dh + dv)); break;
    case Scheme::Mqa: add(fac("(d_h+d_v)", dh + dv)); break;
    case Scheme::MlaReuse:
    case Scheme::MlaRecompute:
    case Scheme::MlaReuseMerged: add(fac("(d_c+d_R)", m.kvLoraRank + dR)); break;
    case Scheme::MlaNaive: add(fac("n_h", m.numHeads)); add(fac("(d_h+d_R+d_v)", dh + dR + dv)); break;
    }
    add(fac("l", m.numLayers));
    add(fac("b_kv", bytesPerElement(precision.kvBits)));
    return f;
}

double queryRowsPerKvTile(const Parameters &params, Scheme scheme)
{
    return rowsPerTile(dimsOf(params, scheme));
}

namespace {

void addParallelism(StepCosts &out, const Parameters &params, const Dims &x, double layers);

// kvCacheElementsPerTokenPerLayer() from the dimensions one device sees (heads already split by TP).
[[gnu::always_inline]] inline double cacheElementsPerTokenPerLayer(const Dims &x)
{
    switch (x.scheme) {
    case Scheme::Mha: return x.nh * (x.dh + x.dv);
    case Scheme::Gqa: return x.nkv * (x.dh + x.dv);
    case Scheme::Mqa: return x.dh + x.dv;
    case Scheme::MlaReuse:
    case Scheme::MlaRecompute:
    case Scheme::MlaReuseMerged: return x.dc + x.dR;
    case Scheme::MlaNaive: return x.nh * (x.dh + x.dR + x.dv);
    }
    return 0.0;
}

} // namespace

StepCosts planStep(const Parameters &params, Scheme scheme)
{
    const Dims x = dimsOf(params, scheme);
    const double capacity = params.hardware.sramCapacityBytes;
    const bool kernelScope = params.scope == Scope::Kernel;
    // Counts are per layer; the step multiplies them by the layers, the kernel scope by one.
    const double layers = kernelScope ? 1.0 : x.l;

    // Recompute fuses its up-projection into the attention kernel if one generated token for all
    // heads plus the query state fits on chip.
    const double fusedMinBytes = x.nh * (x.dh + x.dv) * x.ba + x.S * x.nh * (x.dh + x.dR + x.dv) * x.ba;
    const bool fused = scheme == Scheme::MlaRecompute && capacity >= fusedMinBytes;

    StepBuilder b(x, params.applyDerates ? params.hardware.mmaTileRows : 1);
    switch (scheme) {
    case Scheme::Mha:
    case Scheme::Gqa:
    case Scheme::Mqa: buildMha(b); break;
    case Scheme::MlaReuse: buildMlaReuse(b, false); break;
    case Scheme::MlaReuseMerged: buildMlaReuse(b, true); break;
    case Scheme::MlaNaive: buildMlaNaive(b); break;
    case Scheme::MlaRecompute: buildMlaRecompute(b, fused); break;
    }
    if (params.scope == Scope::Model) [[unlikely]]
        buildRestOfModel(b);

    // Capacity beyond the largest working set pins part of the cache on chip across steps. One kernel
    // call (Scope::Kernel) has no previous step: its cache starts in DRAM.
    double workingSet = fused ? fusedMinBytes : 0.0;
    for (int i = 0; i < b.count; ++i)
        workingSet = std::max(workingSet, b.specs[i].fitBytes());
    const double opCapacity = std::min(capacity, workingSet);
    const double cacheTotal = x.B * x.L * cacheElementsPerTokenPerLayer(x) * x.bk * layers;
    const double pinned = kernelScope ? 0.0 : std::min(cacheTotal, std::max(0.0, capacity - workingSet));
    const double resident = cacheTotal > 0.0 ? pinned / cacheTotal : 0.0;

    StepCosts out;
    out.scheme = scheme;
    out.tokensPerStep = x.T;
    out.onChip.capacityBytes = capacity;
    out.onChip.workingSetBytes = workingSet;
    out.onChip.residentCacheBytes = pinned;
    out.onChip.residentCacheFraction = resident;
    out.onChip.recomputeFused = fused;

    // A causal pass over a query block reads only its prefix: the average share is P/(S·L).
    const double causalShare = x.P / (x.S * x.L);
    for (int i = 0; i < b.count; ++i) {
        const OpSpec &s = b.specs[i];
        if (kernelScope && !inKernelScope(s.kind, scheme))
            continue;
        double dram = s.dramOther;
        double onChipOnly = s.sramOnly;
        double weights = 0.0, cache = 0.0;
        if (s.gemm) {
            double passesW = 1.0, passesA = 1.0;
            gemmTraffic(s.m, s.k, s.n, s.bytesA, s.bytesW, opCapacity, passesW, passesA);
            const double a = s.m * s.k * s.bytesA * s.groups * passesA;
            weights = s.k * s.n * s.bytesW * s.groups * passesW;
            if (s.aFromCache) {
                cache += a;
                dram += a * (1.0 - resident);
                onChipOnly += a * resident;
                out.onChip.upProjectionWeightPasses = passesW;
            } else {
                dram += a;
            }
            dram += weights;
        }
        for (int j = 0; j < s.streamCount; ++j) {
            const Stream &st = s.streams[std::size_t(j)];
            const double passes = passesOf(st.queryRows, st.rowStateBytes, opCapacity);
            const double reads = st.bytes * std::max(1.0, passes * causalShare);
            if (st.source == Stream::Cache) {
                out.onChip.attentionPasses = std::max(out.onChip.attentionPasses, passes);
                cache += reads;
                dram += reads * (1.0 - resident);
                onChipOnly += reads * resident;
            } else if (st.source == Stream::Spilled) {
                dram += reads;
            } else {
                onChipOnly += reads;
            }
        }
        if (s.dramWeights > 0.0) {
            weights += s.dramWeights;
            dram += s.dramWeights;
        }
        if (s.cacheWrite > 0.0) {
            cache += s.cacheWrite;
            dram += s.cacheWrite * (1.0 - resident);
            onChipOnly += s.cacheWrite * resident;
        }
        OperatorCost &c = out.addOperator();
        const double n = s.layerCount > 0.0 ? s.layerCount : layers;  // the FFN kinds run in some layers only
        c.kind = s.kind;
        c.kernelClass = s.kernelClass;
        c.computeBits = s.computeBits;
        c.layers = n;
        c.launches = n * s.launchesPerLayer;
        c.macs = (s.macs + s.extraFlops / 2.0) * n;
        c.flops = (2.0 * s.macs + s.extraFlops) * n;
        c.executedFlops = s.executedFlops * n;
        c.dramBytes = dram * n;
        c.sramBytes = (dram + onChipOnly) * n;
        c.weightBytes = weights * n;
        c.cacheBytes = cache * n;
        if (s.kind == OperatorKind::MoeRouted)
            c.expertsTouched = x.Et;
        c.queryRowsPerTile = s.queryRows;
        c.tilePadding = s.tilePadding;
        if (s.hasParts) {
            out.attentionPartCount = b.partCount;
            for (int k = 0; k < b.partCount; ++k) {
                PartCost p = b.parts[std::size_t(k)];
                p.macs *= layers;
                p.flops *= layers;
                p.executedFlops *= layers;
                out.attentionParts[std::size_t(k)] = p;
                if (p.efficiencyClass == KernelClass::Gemm) {
                    c.fusedGemmFlops += p.executedFlops;
                    c.fusedGemmBits = p.computeBits;
                }
            }
        }
    }
    if (params.parallel.tensor > 1 || params.parallel.data > 1 || params.parallel.expert > 1) [[unlikely]]
        addParallelism(out, params, x, layers);
    return out;
}

namespace {

[[gnu::noinline]] void addParallelism(StepCosts &out, const Parameters &params, const Dims &x, double layers)
{
    const bool kernelScope = params.scope == Scope::Kernel;
    {
        const int dp = std::max(1, params.parallel.data), tp = std::max(1, params.parallel.tensor);
        out.tokensPerStep = double(params.workload.batch) * x.S;
        out.busyDevices = double(tp) * std::min(dp, params.workload.batch);
        out.idleDevices = double(tp) * std::max(0, dp - params.workload.batch);
        // Row-parallel W_O leaves each TP device a partial T × d output: summed by an all-reduce per layer.
        // Each device reads what it sends and writes what it receives: 2 · 2(N−1)/N · bytes.
        const auto collective = [&](OperatorKind kind, double devices, double launches, double linkBytes) {
            OperatorCost &c = out.addOperator();
            c.kind = kind;
            c.kernelClass = KernelClass::Gemm;
            c.computeBits = x.aBits;
            c.launches = launches;
            c.collectiveDevices = devices;
            c.linkBytes = linkBytes;
            c.dramBytes = 2.0 * 2.0 * (devices - 1.0) / devices * c.linkBytes;
            c.sramBytes = c.dramBytes;
            c.tilePadding = 1.0;
        };
        if (tp > 1 && !kernelScope) {
            collective(OperatorKind::AllReduce, tp, layers, x.T * x.d * x.ba * layers);
            out.operators[std::size_t(out.operatorCount - 1)].layers = layers;
        }
        if (params.scope != Scope::Model)
            return;
        // The TP-split FFN (dense, shared experts, routed experts at EP = 1) ends with partial sums too.
        const double ffnLayers = (x.I > 0.0 ? x.denseLayers : 0.0) + x.moeLayers;
        if (tp > 1 && ffnLayers > 0.0) {
            collective(OperatorKind::FfnAllReduce, tp, ffnLayers, x.T * x.d * x.ba * ffnLayers);
            out.operators[std::size_t(out.operatorCount - 1)].layers = ffnLayers;
        }
        // EP: every MoE layer sends each of the device's T/TP tokens to its k experts and back (two
        // launches: dispatch and combine), so the all-reduce's 2(N−1)/N · bytes is that formula too.
        const double ep = x.ep;
        if (ep > 1.0 && x.moeLayers > 0.0) {
            collective(OperatorKind::AllToAll, ep, 2.0 * x.moeLayers, x.T / tp * x.k * x.d * x.ba * x.moeLayers);
            out.operators[std::size_t(out.operatorCount - 1)].layers = x.moeLayers;
        }
    }
}

} // namespace

} // namespace mlastudio::core
