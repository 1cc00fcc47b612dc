// SPDX-License-Identifier: MIT
// Markers that share a spot, such as MHA's and recompute's current points at batch 1 (private to
// ui/views): drawn in a fixed order, each further one smaller, so the earlier ones show as rings.
#pragma once

#include <QPointF>
#include <QVector>

#include <algorithm>
#include <cmath>

namespace mlastudio::ui::markerstack {

/** Each marker is drawn this much smaller than the one it shares a spot with. */
inline constexpr double kShrink = 0.62;
/** Two markers share a spot when they are closer than this share of both axes' spans. */
inline constexpr double kNear = 0.02;

/** \return the share of an axis' span at which \p v lies (log axes: in decades). */
inline double shareOf(double v, double lo, double hi, bool log)
{
    if (log)
        return v > 0.0 && lo > 0.0 && hi > lo ? std::log10(v / lo) / std::log10(hi / lo) : 0.0;
    return hi > lo ? (v - lo) / (hi - lo) : 0.0;
}

/**
 * Size factors for markers drawn in the order of \p spots (positions as shares of the axes' spans, or
 * pixels with \p near in pixels): a marker within \p near of k earlier ones gets kShrink^k. Drawn in
 * that order, a smaller marker lies on top of each larger one it shares a spot with, and every one
 * stays visible.
 */
inline QVector<double> sizeFactors(const QVector<QPointF> &spots, double near = kNear)
{
    QVector<double> out;
    out.reserve(spots.size());
    for (qsizetype i = 0; i < spots.size(); ++i) {
        int below = 0;
        for (qsizetype j = 0; j < i; ++j)
            if (std::abs(spots[i].x() - spots[j].x()) < near && std::abs(spots[i].y() - spots[j].y()) < near)
                ++below;
        out << std::pow(kShrink, below);
    }
    return out;
}

} // namespace mlastudio::ui::markerstack
