// SPDX-License-Identifier: MIT
#include "views/explainformulas.h"

#include <QStringList>

#include <vector>

namespace mlastudio::ui {

namespace {

struct Factor {
    QString symbol;
    QString value;
    double number = 1.0;
};

QString num(double v)
{
    return QString::number(v, 'g', 12);
}

Factor f(const QString &symbol, double v)
{
    return {symbol, num(v), v};
}

Factor sum(const QString &a, double va, const QString &b, double vb)
{
    return {QStringLiteral("(%1+%2)").arg(a, b), QStringLiteral("(%1+%2)").arg(num(va), num(vb)), va + vb};
}

Factor sum3(const QString &a, double va, const QString &b, double vb, const QString &c, double vc)
{
    return {QStringLiteral("(%1+%2+%3)").arg(a, b, c), QStringLiteral("(%1+%2+%3)").arg(num(va), num(vb), num(vc)),
            va + vb + vc};
}

OperatorFormula product(const std::vector<Factor> &factors)
{
    OperatorFormula out;
    QStringList s, v;
    out.macsPerLayer = 1.0;
    for (const Factor &x : factors) {
        s << x.symbol;
        v << x.value;
        out.macsPerLayer *= x.number;
    }
    out.symbolic = s.join(QStringLiteral("·"));
    out.substituted = v.join(QStringLiteral("·"));
    return out;
}

} // namespace

OperatorFormula operatorFormula(const core::Parameters &params, core::Scheme scheme, core::OperatorKind kind)
{
    using core::OperatorKind;
    using core::Scheme;
    const core::ModelConfig &m = params.model;
    const double B = params.workload.batch, L = double(params.workload.kvLength);
    const double S = double(core::queryTokensPerRequest(params.workload));
    const double T = B * S, P = core::scoredPairsPerHead(S, L);
    const double d = m.hiddenSize, nh = m.numHeads, dh = m.qkNopeHeadDim, dR = m.qkRopeHeadDim, dv = m.vHeadDim,
                 dc = m.kvLoraRank, dq = m.qLoraRank;
    const Factor fT{QStringLiteral("T"), num(T), T};
    const Factor qIn = dq > 0 ? f(QStringLiteral("d_c'"), dq) : f(QStringLiteral("d"), d);
    const double nkv = scheme == Scheme::Gqa ? double(m.numKvHeads) : scheme == Scheme::Mqa ? 1.0 : nh;
    const QString nkvSym = scheme == Scheme::Gqa ? QStringLiteral("n_kv") : scheme == Scheme::Mqa ? QStringLiteral("1")
                                                                                                  : QStringLiteral("n_h");
    const bool mla = scheme == Scheme::MlaReuse || scheme == Scheme::MlaReuseMerged;
    const bool mhaLike = scheme == Scheme::Mha || scheme == Scheme::Gqa || scheme == Scheme::Mqa;

    switch (kind) {
    case OperatorKind::QDown: return product({fT, f(QStringLiteral("d"), d), f(QStringLiteral("d_c'"), dq)});
    case OperatorKind::QUp: return product({fT, qIn, f(QStringLiteral("n_h"), nh), sum(QStringLiteral("d_h"), dh, QStringLiteral("d_R"), dR)});
    case OperatorKind::QUpRope: return product({fT, qIn, f(QStringLiteral("n_h"), nh), f(QStringLiteral("d_R"), dR)});
    case OperatorKind::QAbsorbMerged: return product({fT, qIn, f(QStringLiteral("n_h"), nh), f(QStringLiteral("d_c"), dc)});
    case OperatorKind::QProj: return product({fT, f(QStringLiteral("d"), d), f(QStringLiteral("n_h"), nh), f(QStringLiteral("d_h"), dh)});
    case OperatorKind::KvDown: return product({fT, f(QStringLiteral("d"), d), sum(QStringLiteral("d_c"), dc, QStringLiteral("d_R"), dR)});
    case OperatorKind::KvProj:
        return product({fT, f(QStringLiteral("d"), d), f(nkvSym, nkv), sum(QStringLiteral("d_h"), dh, QStringLiteral("d_v"), dv)});
    case OperatorKind::KvUp:
        if (scheme == Scheme::MlaRecompute)
            return product({f(QStringLiteral("B"), B), f(QStringLiteral("L"), L), f(QStringLiteral("d_c"), dc),
                            f(QStringLiteral("n_h"), nh), sum(QStringLiteral("d_h"), dh, QStringLiteral("d_v"), dv)});
        return product({fT, f(QStringLiteral("d_c"), dc), f(QStringLiteral("n_h"), nh), sum(QStringLiteral("d_h"), dh, QStringLiteral("d_v"), dv)});
    case OperatorKind::CacheAppend: {
        OperatorFormula out;
        out.symbolic = QStringLiteral("0 (writes T cache entries, no arithmetic)");
        out.substituted = QStringLiteral("0");
        return out;
    }
    case OperatorKind::QAbsorb:
        return product({f(QStringLiteral("n_h"), nh), fT, f(QStringLiteral("d_h"), dh), f(QStringLiteral("d_c"), dc)});
    case OperatorKind::Scores: {
        const Factor k = mhaLike ? f(QStringLiteral("d_h"), dh)
                         : mla   ? sum(QStringLiteral("d_c"), dc, QStringLiteral("d_R"), dR)
                                 : sum(QStringLiteral("d_h"), dh, QStringLiteral("d_R"), dR);
        return product({f(QStringLiteral("B"), B), f(QStringLiteral("n_h"), nh), f(QStringLiteral("P"), P), k});
    }
    case OperatorKind::Softmax: {
        OperatorFormula out;
        out.symbolic = QStringLiteral("0 MACs");
        out.substituted = QStringLiteral("0");
        out.extraFlopsPerLayer = core::kSoftmaxFlopsPerScore * B * nh * P;
        out.extraSymbolic = QStringLiteral("FLOPs = 5·B·n_h·P = 5·%1·%2·%3").arg(num(B), num(nh), num(P));
        return out;
    }
    case OperatorKind::Context: {
        const Factor v = mla ? f(QStringLiteral("d_c"), dc) : f(QStringLiteral("d_v"), dv);
        return product({f(QStringLiteral("B"), B), f(QStringLiteral("n_h"), nh), f(QStringLiteral("P"), P), v});
    }
    case OperatorKind::OAbsorb:
        return product({f(QStringLiteral("n_h"), nh), fT, f(QStringLiteral("d_c"), dc), f(QStringLiteral("d_v"), dv)});
    case OperatorKind::OutProj:
        return product({fT, f(QStringLiteral("n_h"), nh), f(QStringLiteral("d_v"), dv), f(QStringLiteral("d"), d)});
    case OperatorKind::OutMerged:
        return product({fT, f(QStringLiteral("n_h"), nh), f(QStringLiteral("d_c"), dc), f(QStringLiteral("d"), d)});
    }
    return {};
}

OperatorFormula kvCacheFormula(const core::Parameters &params, core::Scheme scheme)
{
    using core::Scheme;
    const core::ModelConfig &m = params.model;
    const double l = m.numLayers, b = core::bytesPerElement(params.precision.kvBits);
    const Factor fl = f(QStringLiteral("l"), l), fb = f(QStringLiteral("b_kv"), b);
    const Factor dhv = sum(QStringLiteral("d_h"), m.qkNopeHeadDim, QStringLiteral("d_v"), m.vHeadDim);
    switch (scheme) {
    case Scheme::Mha: return product({f(QStringLiteral("n_h"), m.numHeads), dhv, fl, fb});
    case Scheme::Gqa: return product({f(QStringLiteral("n_kv"), m.numKvHeads), dhv, fl, fb});
    case Scheme::Mqa: return product({dhv, fl, fb});
    case Scheme::MlaReuse:
    case Scheme::MlaRecompute:
    case Scheme::MlaReuseMerged:
        return product({sum(QStringLiteral("d_c"), m.kvLoraRank, QStringLiteral("d_R"), m.qkRopeHeadDim), fl, fb});
    case Scheme::MlaNaive:
        return product({f(QStringLiteral("n_h"), m.numHeads),
                        sum3(QStringLiteral("d_h"), m.qkNopeHeadDim, QStringLiteral("d_R"), m.qkRopeHeadDim,
                             QStringLiteral("d_v"), m.vHeadDim),
                        fl, fb});
    }
    return {};
}

} // namespace mlastudio::ui
