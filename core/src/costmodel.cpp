// SPDX-License-Identifier: MIT
#include "mlastudio/core/costmodel.h"

#include <algorithm>
#include <cmath>

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
    case OperatorKind::Scores: return "scores";
    case OperatorKind::Softmax: return "softmax";
    case OperatorKind::Context: return "context";
    case OperatorKind::OAbsorb: return "o_absorb";
    case OperatorKind::OutProj: return "o_proj";
    case OperatorKind::OutMerged: return "o_merged";
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
    case OperatorKind::KvUp: return "KV up-projection c_KV·[W_UK; W_UV] into per-head keys and values.";
    case OperatorKind::CacheAppend: return "Write the new tokens' entries into the KV (or latent) cache.";
    case OperatorKind::QAbsorb: return "Absorb W_UK into the query: q_nope·W_UK per head, so scores are taken against the latent.";
    case OperatorKind::Scores: return "Attention scores Q·K^T against every cached token.";
    case OperatorKind::Softmax: return "Softmax over the scores (kept on chip, flash-style).";
    case OperatorKind::Context: return "Context P·V: probability-weighted sum of the values.";
    case OperatorKind::OAbsorb: return "Apply W_UV to the latent context per head (absorbed value up-projection).";
    case OperatorKind::OutProj: return "Output projection o·W_O.";
    case OperatorKind::OutMerged: return "Merged output projection o_latent·(W_UV·W_O).";
    }
    return "";
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

double dramNeededBytes(const Parameters &p, Scheme scheme)
{
    return attentionWeightBytes(p.model, scheme, p.precision)
           + kvCacheBytesPerToken(p.model, scheme, p.precision) * double(p.workload.kvLength) * p.workload.batch;
}

double gemmOperandTrafficBytes(double m, double k, double n, double bytesA, double bytesW,
                               double capacityBytes, double *passesW, double *passesA)
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
    if (passesW)
        *passesW = pw;
    if (passesA)
        *passesA = pa;
    return a * pa + w * pw;
}

double attentionPasses(double queryRows, double rowStateBytes, double capacityBytes)
{
    const double rowsFit = std::max(1.0, std::floor(capacityBytes / rowStateBytes));
    return std::ceil(queryRows / rowsFit);
}

double peakFlopsForBits(const HardwareConfig &hw, int bits)
{
    if (bits <= 4 && hw.peakFlopsFp4 > 0.0)
        return hw.peakFlopsFp4;
    if (bits <= 8 && hw.peakFlopsFp8 > 0.0)
        return hw.peakFlopsFp8;
    return hw.peakFlopsBf16;
}

double energyPerMacForBits(const HardwareConfig &hw, int bits)
{
    if (bits <= 4 && hw.energyPerMacFp4J > 0.0)
        return hw.energyPerMacFp4J;
    if (bits <= 8 && hw.energyPerMacFp8J > 0.0)
        return hw.energyPerMacFp8J;
    return hw.energyPerMacBf16J;
}

namespace {

// A stream of cache (or spilled K/V) bytes that goes past the on-chip query state of S·G rows.
struct Stream {
    double bytes = 0.0;         // bytes of one read of the whole stream (all requests, one layer)
    double queryRows = 1.0;     // S·G rows that share each streamed entry
    double rowStateBytes = 1.0; // on-chip state per query row
    enum Source { Cache, Spilled, OnChip } source = Cache;
};

// One operator before the on-chip capacity is known.
struct OpSpec {
    OperatorKind kind = OperatorKind::QProj;
    int computeBits = 16;
    double macs = 0.0;
    double extraFlops = 0.0;    // FLOPs that are not MACs (softmax)
    // Matrix product part: A (M×K, per group) · W (K×N, per group), `groups` independent products.
    bool gemm = false;
    double m = 0, k = 0, n = 0, groups = 1, bytesA = 0, bytesW = 0;
    bool aFromCache = false;    // A is the latent cache (recompute's kv_up)
    std::array<Stream, 2> streams{};
    int streamCount = 0;
    double dramOther = 0.0;     // activations read or written through DRAM
    double sramOnly = 0.0;      // intermediates that never leave the chip
    double cacheWrite = 0.0;    // new cache entries

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
    double d, nh, nkv, dh, dR, dv, dc, dq, B, L, S, T, P, l;
    double bw, bk, ba;
    int wBits, kBits, aBits;
};

class StepBuilder {
public:
    explicit StepBuilder(const Dims &x) : x(x) {}

    OpSpec &add(OperatorKind kind, int bits)
    {
        OpSpec &op = specs[count++];  // slots are default-initialised and used once
        op.kind = kind;
        op.computeBits = bits;
        return op;
    }

    // A projection: `groups` products of (M×K)·(K×N); input activation read, output written to DRAM.
    OpSpec &projection(OperatorKind kind, double m, double k, double n, double groups = 1.0)
    {
        OpSpec &op = add(kind, std::max(x.wBits, x.aBits));
        op.gemm = true;
        op.m = m, op.k = k, op.n = n, op.groups = groups;
        op.bytesA = x.ba;
        op.bytesW = x.bw;
        op.macs = m * k * n * groups;
        op.dramOther = m * n * groups * x.ba;  // output activation
        return op;
    }

    const Dims &x;
    std::array<OpSpec, kMaxOperators> specs;
    int count = 0;
};

// Attention core ops shared by the schemes: scores, softmax, context. `kDim` is the score dot-product
// width, `vDim` the context width, G the query heads sharing each streamed entry.
void addAttentionCore(StepBuilder &b, double kDim, double vDim, const Stream &kStream, const Stream *vStream)
{
    const Dims &x = b.x;
    const int bits = std::max(x.kBits, x.aBits);
    const double scores = x.B * x.nh * x.P;  // score elements per layer

    OpSpec &s = b.add(OperatorKind::Scores, bits);
    s.macs = scores * kDim;
    s.streams[s.streamCount++] = kStream;
    s.dramOther = x.T * x.nh * kDim * x.ba;  // queries in
    s.sramOnly = scores * x.ba;              // scores written on chip

    OpSpec &sm = b.add(OperatorKind::Softmax, x.aBits);
    sm.extraFlops = kSoftmaxFlopsPerScore * scores;
    sm.sramOnly = 2.0 * scores * x.ba;       // read scores, write probabilities

    OpSpec &c = b.add(OperatorKind::Context, bits);
    c.macs = scores * vDim;
    if (vStream)
        c.streams[c.streamCount++] = *vStream;
    c.dramOther = x.T * x.nh * vDim * x.ba;  // context out
    c.sramOnly = scores * x.ba;              // probabilities read
}

void addCacheAppend(StepBuilder &b, double elementsPerToken)
{
    OpSpec &op = b.add(OperatorKind::CacheAppend, b.x.kBits);
    op.cacheWrite = b.x.T * elementsPerToken * b.x.bk;
}

void buildMha(StepBuilder &b, double nkv)
{
    const Dims &x = b.x;
    const double g = x.nh / nkv;
    b.projection(OperatorKind::QProj, x.T, x.d, x.nh * x.dh);
    b.projection(OperatorKind::KvProj, x.T, x.d, nkv * (x.dh + x.dv));
    addCacheAppend(b, nkv * (x.dh + x.dv));
    const double rowState = (x.dh + x.dv) * x.ba;
    const Stream k{x.B * x.L * nkv * x.dh * x.bk, x.S * g, rowState, Stream::Cache};
    const Stream v{x.B * x.L * nkv * x.dv * x.bk, x.S * g, rowState, Stream::Cache};
    addAttentionCore(b, x.dh, x.dv, k, &v);
    b.projection(OperatorKind::OutProj, x.T, x.nh * x.dv, x.d);
}

// q_down (if any) and the query up-projection of the MLA schemes, except the merged one.
void addMlaQuery(StepBuilder &b, bool ropeOnly)
{
    const Dims &x = b.x;
    if (x.dq > 0)
        b.projection(OperatorKind::QDown, x.T, x.d, x.dq);
    const double qIn = x.dq > 0 ? x.dq : x.d;
    if (ropeOnly)
        b.projection(OperatorKind::QUpRope, x.T, qIn, x.nh * x.dR);
    else
        b.projection(OperatorKind::QUp, x.T, qIn, x.nh * (x.dh + x.dR));
}

void buildMlaReuse(StepBuilder &b, bool merged)
{
    const Dims &x = b.x;
    addMlaQuery(b, merged);
    if (merged)
        b.projection(OperatorKind::QAbsorbMerged, x.T, x.dq > 0 ? x.dq : x.d, x.nh * x.dc);
    b.projection(OperatorKind::KvDown, x.T, x.d, x.dc + x.dR);
    addCacheAppend(b, x.dc + x.dR);
    if (!merged)
        b.projection(OperatorKind::QAbsorb, x.T, x.dh, x.dc, x.nh);
    // The latent tile is read once and serves as both K and V for all n_h heads.
    const Stream latent{x.B * x.L * (x.dc + x.dR) * x.bk, x.S * x.nh, (2.0 * x.dc + x.dR) * x.ba, Stream::Cache};
    addAttentionCore(b, x.dc + x.dR, x.dc, latent, nullptr);
    if (merged) {
        b.projection(OperatorKind::OutMerged, x.T, x.nh * x.dc, x.d);
    } else {
        b.projection(OperatorKind::OAbsorb, x.T, x.dc, x.dv, x.nh);
        b.projection(OperatorKind::OutProj, x.T, x.nh * x.dv, x.d);
    }
}

void buildMlaNaive(StepBuilder &b)
{
    const Dims &x = b.x;
    addMlaQuery(b, false);
    b.projection(OperatorKind::KvDown, x.T, x.d, x.dc + x.dR);
    b.projection(OperatorKind::KvUp, x.T, x.dc, x.nh * (x.dh + x.dv));
    addCacheAppend(b, x.nh * (x.dh + x.dR + x.dv));
    const double rowState = (x.dh + x.dR + x.dv) * x.ba;
    const Stream k{x.B * x.L * x.nh * (x.dh + x.dR) * x.bk, x.S, rowState, Stream::Cache};
    const Stream v{x.B * x.L * x.nh * x.dv * x.bk, x.S, rowState, Stream::Cache};
    addAttentionCore(b, x.dh + x.dR, x.dv, k, &v);
    b.projection(OperatorKind::OutProj, x.T, x.nh * x.dv, x.d);
}

// Recompute: the generated K/V either stay on chip (fused) or go through DRAM (spilled).
void buildMlaRecompute(StepBuilder &b, bool fused)
{
    const Dims &x = b.x;
    addMlaQuery(b, false);
    b.projection(OperatorKind::KvDown, x.T, x.d, x.dc + x.dR);
    addCacheAppend(b, x.dc + x.dR);
    OpSpec &up = b.projection(OperatorKind::KvUp, x.B * x.L, x.dc, x.nh * (x.dh + x.dv));
    up.computeBits = std::max(x.wBits, x.kBits);
    up.bytesA = x.bk;
    up.aFromCache = true;
    const double kvBytes = x.B * x.L * x.nh * (x.dh + x.dv) * x.ba;
    if (fused) {
        up.dramOther = 0.0;
        up.sramOnly = kvBytes;  // K/V tiles written on chip
    } else {
        up.dramOther = kvBytes; // K/V spilled to DRAM
    }
    const double rowState = (x.dh + x.dR + x.dv) * x.ba;
    const Stream::Source src = fused ? Stream::OnChip : Stream::Spilled;
    // Scores read the shared RoPE key from the cache plus the generated no-RoPE keys.
    Stream kRope{x.B * x.L * x.dR * x.bk, x.S * x.nh, rowState, Stream::Cache};
    const Stream kNope{x.B * x.L * x.nh * x.dh * x.ba, x.S, rowState, src};
    const Stream v{x.B * x.L * x.nh * x.dv * x.ba, x.S, rowState, src};
    addAttentionCore(b, x.dh + x.dR, x.dv, kNope, &v);
    // Attach the RoPE-key stream to the scores operator (index of scores = count - 3).
    OpSpec &scores = b.specs[b.count - 3];
    if (x.dR > 0)
        scores.streams[scores.streamCount++] = kRope;
    b.projection(OperatorKind::OutProj, x.T, x.nh * x.dv, x.d);
}

Dims dimsOf(const Parameters &p)
{
    const ModelConfig &m = p.model;
    Dims x{};
    x.d = m.hiddenSize;
    x.nh = m.numHeads;
    x.nkv = m.numKvHeads;
    x.dh = m.qkNopeHeadDim;
    x.dR = m.qkRopeHeadDim;
    x.dv = m.vHeadDim;
    x.dc = m.kvLoraRank;
    x.dq = m.qLoraRank;
    x.l = m.numLayers;
    x.B = p.workload.batch;
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
    return x;
}

} // namespace

long long queryTokensPerRequest(const Workload &w)
{
    return w.phase == Phase::Prefill ? w.kvLength : w.queryLength;
}

StepCosts planStep(const Parameters &params, Scheme scheme)
{
    const Dims x = dimsOf(params);
    const double capacity = params.hardware.sramCapacityBytes;

    // Recompute keeps K/V on chip if one generated token for all heads plus the query state fits.
    const double fusedMinBytes = x.nh * (x.dh + x.dv) * x.ba + x.S * x.nh * (x.dh + x.dR + x.dv) * x.ba;
    const bool fused = scheme == Scheme::MlaRecompute && capacity >= fusedMinBytes;

    StepBuilder b(x);
    switch (scheme) {
    case Scheme::Mha: buildMha(b, x.nh); break;
    case Scheme::Gqa: buildMha(b, x.nkv); break;
    case Scheme::Mqa: buildMha(b, 1.0); break;
    case Scheme::MlaReuse: buildMlaReuse(b, false); break;
    case Scheme::MlaReuseMerged: buildMlaReuse(b, true); break;
    case Scheme::MlaNaive: buildMlaNaive(b); break;
    case Scheme::MlaRecompute: buildMlaRecompute(b, fused); break;
    }

    // Capacity beyond the largest working set pins part of the cache on chip across steps.
    double workingSet = fused ? fusedMinBytes : 0.0;
    for (int i = 0; i < b.count; ++i)
        workingSet = std::max(workingSet, b.specs[i].fitBytes());
    const double opCapacity = std::min(capacity, workingSet);
    const double cacheTotal = x.B * x.L * kvCacheElementsPerTokenPerLayer(params.model, scheme) * x.bk * x.l;
    const double pinned = std::min(cacheTotal, std::max(0.0, capacity - workingSet));
    const double resident = cacheTotal > 0.0 ? pinned / cacheTotal : 0.0;

    StepCosts out;
    out.scheme = scheme;
    out.tokensPerStep = x.T;
    out.onChip.capacityBytes = capacity;
    out.onChip.workingSetBytes = workingSet;
    out.onChip.residentCacheBytes = pinned;
    out.onChip.residentCacheFraction = resident;
    out.onChip.recomputeFused = fused;
    out.operatorCount = b.count;

    const double causalShare = x.P / (x.S * x.L);
    for (int i = 0; i < b.count; ++i) {
        const OpSpec &s = b.specs[i];
        double dram = s.dramOther;
        double onChipOnly = s.sramOnly;
        double weights = 0.0, cache = 0.0;
        if (s.gemm) {
            double passesW = 1.0, passesA = 1.0;
            gemmOperandTrafficBytes(s.m, s.k, s.n, s.bytesA, s.bytesW, opCapacity, &passesW, &passesA);
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
            const Stream &st = s.streams[j];
            const double passes = attentionPasses(st.queryRows, st.rowStateBytes, opCapacity);
            // A causal pass over a query block reads only its prefix: the average share is P/(S·L).
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
        if (s.cacheWrite > 0.0) {
            cache += s.cacheWrite;
            dram += s.cacheWrite * (1.0 - resident);
            onChipOnly += s.cacheWrite * resident;
        }
        OperatorCost &c = out.operators[i];
        c.kind = s.kind;
        c.computeBits = s.computeBits;
        c.macs = (s.macs + s.extraFlops / 2.0) * x.l;
        c.flops = (2.0 * s.macs + s.extraFlops) * x.l;
        c.dramBytes = dram * x.l;
        c.sramBytes = (dram + onChipOnly) * x.l;
        c.weightBytes = weights * x.l;
        c.cacheBytes = cache * x.l;
    }
    return out;
}

} // namespace mlastudio::core
