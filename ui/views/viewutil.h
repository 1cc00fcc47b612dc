// SPDX-License-Identifier: MIT
// Helpers shared by the views (private to ui/views).
#pragma once

#include "views/figuretheme.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/sweep.h"

#include <QColor>
#include <QFont>
#include <QRect>
#include <QSharedPointer>
#include <QString>

class QCPAxis;
class QCPAxisTickerLog;

namespace mlastudio::ui::viewutil {

/** \return a + t·(b − a) per channel, opaque. */
QColor mix(const QColor &a, const QColor &b, double t);
/** \return the opaque colour a translucent \p c shows over \p background (opaque fills draw much faster). */
QColor flatten(const QColor &c, const QColor &background);
/** formatSi as a QString, e.g. "3.35 TB/s". */
QString si(double value, const char *unit, int significant = 3);
/** Makes an axis logarithmic with decade ticks (10^n labels), with \p ticker (a subclass that
 *  labels in other units) or a plain QCPAxisTickerLog. */
void setLogAxis(QCPAxis *axis, QSharedPointer<QCPAxisTickerLog> ticker = {});
/** The theme's font, scaled by \p factor. */
QFont themeFont(const FigureTheme &theme, double factor = 1.0);
/** Sets a log axis to [lo, hi] widened by 3 % of its decades at each end, so that markers at the
 *  ends are not cut and the end ticks do not sit in the corners. */
void setPaddedLogRange(QCPAxis *axis, double lo, double hi);
/** Largest power of ten <= v and smallest >= v. */
double decadeBelow(double v);
double decadeAbove(double v);
/** "compute", "DRAM" or "on-chip". */
QString boundName(core::Bound bound);
/** Operator id as a QString. */
QString operatorName(core::OperatorKind kind);
/** QFontMetrics(font).boundingRect(QRect(0, 0, 0, height), flags, text), remembered: every replot
 *  measures the same labels again, and shaping them is a large part of a replot's cost. */
QRect textBounds(const QFont &font, int flags, const QString &text, int height = 0);
/** QFontMetrics(font).horizontalAdvance(text), remembered like textBounds(). */
int textAdvance(const QFont &font, const QString &text);
/** QFontMetricsF(font).horizontalAdvance(text), remembered like textBounds(). */
qreal textAdvanceF(const QFont &font, const QString &text);

} // namespace mlastudio::ui::viewutil
