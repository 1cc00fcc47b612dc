// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/scheme.h"

#include <QColor>
#include <QPen>
#include <QString>

namespace mlastudio::ui {

/**
 * One colour and line style per scheme, used by every view and export so a scheme looks the same
 * everywhere. Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies);
 * line styles differ too, so figures survive greyscale printing.
 */
QColor schemeColor(core::Scheme scheme);
Qt::PenStyle schemeLineStyle(core::Scheme scheme);
/** \return a pen of the scheme's colour and style with the given width. */
QPen schemePen(core::Scheme scheme, double width = 2.0);
/** Marker shapes for scatter plots; each scheme has its own so points survive greyscale printing. */
enum class SchemeMarker {
    Circle,
    Square,
    Diamond,
    Triangle,
    TriangleInverted,
    Cross,
    Plus,
};
/** \return the scheme's marker shape. */
SchemeMarker schemeMarker(core::Scheme scheme);
/** \return the display name, e.g. "MLA (reuse)". */
QString schemeName(core::Scheme scheme);
/** \return a short label for crowded axes, e.g. "reuse" for MLA (reuse). */
QString schemeShortName(core::Scheme scheme);
/** \return the id, e.g. "mla-reuse". */
QString schemeIdString(core::Scheme scheme);

} // namespace mlastudio::ui
