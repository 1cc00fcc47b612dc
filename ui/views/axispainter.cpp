// SPDX-License-Identifier: MIT
#include "views/axispainter.h"

#include "views/cachedtext.h"

#include <QFontMetrics>

#include <algorithm>
#include <utility>

namespace mlastudio::ui {

namespace {

/** QCPAxis's painter is protected; the member pointer, named through a class that makes it public,
 *  reaches it. */
struct AxisPainterAccess : QCPAxis {
    using QCPAxis::mAxisPainter;
};

// QCustomPlot keeps each axis's rendered tick labels in a cache of 16, and the platforms view labels
// 17 platforms: at 17 every label would miss at every replot and be shaped and rendered again.
constexpr int kTickLabelCacheSize = 64;  // labels per axis; the views show at most a few dozen

constexpr int kTitleFlags = Qt::TextDontClip | Qt::AlignCenter;  // as QCPAxisPainterPrivate draws titles

} // namespace

AxisPainter::AxisPainter(QCustomPlot *plot)
    : QCPAxisPainterPrivate(plot)
{
    mLabelCache.setMaxCost(kTickLabelCacheSize);
}

AxisPainter *AxisPainter::install(QCPAxis *axis)
{
    QCPAxisPainterPrivate *&slot = axis->*(&AxisPainterAccess::mAxisPainter);
    if (auto *mine = dynamic_cast<AxisPainter *>(slot))
        return mine;
    auto *painter = new AxisPainter(axis->parentPlot());
    copySettings(*slot, *painter);
    delete slot;
    slot = painter;
    return painter;
}

void AxisPainter::copySettings(const QCPAxisPainterPrivate &from, QCPAxisPainterPrivate &to)
{
    to.type = from.type;
    to.basePen = from.basePen;
    to.lowerEnding = from.lowerEnding;
    to.upperEnding = from.upperEnding;
    to.labelPadding = from.labelPadding;
    to.labelFont = from.labelFont;
    to.labelColor = from.labelColor;
    to.label = from.label;
    to.tickLabelPadding = from.tickLabelPadding;
    to.tickLabelRotation = from.tickLabelRotation;
    to.tickLabelSide = from.tickLabelSide;
    to.substituteExponent = from.substituteExponent;
    to.numberMultiplyCross = from.numberMultiplyCross;
    to.tickLengthIn = from.tickLengthIn;
    to.tickLengthOut = from.tickLengthOut;
    to.subTickLengthIn = from.subTickLengthIn;
    to.subTickLengthOut = from.subTickLengthOut;
    to.tickPen = from.tickPen;
    to.subTickPen = from.subTickPen;
    to.tickLabelFont = from.tickLabelFont;
    to.tickLabelColor = from.tickLabelColor;
    to.axisRect = from.axisRect;
    to.viewportRect = from.viewportRect;
    to.offset = from.offset;
    to.abbreviateDecimalPowers = from.abbreviateDecimalPowers;
    to.reversedEndings = from.reversedEndings;
    to.subTickPositions = from.subTickPositions;
    to.tickPositions = from.tickPositions;
    to.tickLabels = from.tickLabels;
}

void AxisPainter::draw(QCPPainter *painter)
{
    if (label.isEmpty() || !cachedtext::isCached(painter)) {
        QCPAxisPainterPrivate::draw(painter);  // exports: exactly as QCustomPlot draws them
        return;
    }
    // Everything but the title as QCustomPlot draws it. Its title box then has no thickness and lies
    // on the line where the title begins, at the title's distance from the axis.
    const QString title = std::exchange(label, QString());
    QCPAxisPainterPrivate::draw(painter);
    label = title;

    QPoint origin;
    int distance = 0;  // from the axis line to the title, as the selection box has it
    switch (type) {
    case QCPAxis::atLeft:
        origin = axisRect.bottomLeft() + QPoint(-offset, 0);
        distance = origin.x() - mLabelSelectionBox.left();
        break;
    case QCPAxis::atRight:
        origin = axisRect.bottomRight() + QPoint(offset, 0);
        distance = mLabelSelectionBox.left() - origin.x();
        break;
    case QCPAxis::atTop:
        origin = axisRect.topLeft() + QPoint(0, -offset);
        distance = origin.y() - mLabelSelectionBox.top();
        break;
    case QCPAxis::atBottom:
        origin = axisRect.bottomLeft() + QPoint(0, offset);
        distance = mLabelSelectionBox.top() - origin.y();
        break;
    }
    // The box counts outward ticks as they are, the drawing only from zero on.
    const int ticksOut = std::max(tickLengthOut, subTickLengthOut);
    const int margin = distance - ticksOut + std::max(0, ticksOut);

    painter->setFont(labelFont);
    painter->setPen(QPen(labelColor));
    const int height = titleHeight(painter);
    QRect box;
    switch (type) {
    case QCPAxis::atLeft:
        cachedtext::drawTurnedText(painter, QPointF(origin.x() - margin - height, origin.y()), -1,
                                   QRect(0, 0, axisRect.height(), height), kTitleFlags, label);
        box.setCoords(origin.x() - distance - height, axisRect.top(), origin.x() - distance, axisRect.bottom());
        break;
    case QCPAxis::atRight:
        cachedtext::drawTurnedText(painter, QPointF(origin.x() + margin + height, origin.y() - axisRect.height()), 1,
                                   QRect(0, 0, axisRect.height(), height), kTitleFlags, label);
        box.setCoords(origin.x() + distance + height, axisRect.top(), origin.x() + distance, axisRect.bottom());
        break;
    case QCPAxis::atTop:
        cachedtext::drawText(painter, QRect(origin.x(), origin.y() - margin - height, axisRect.width(), height), kTitleFlags, label);
        box.setCoords(axisRect.left(), origin.y() - distance - height, axisRect.right(), origin.y() - distance);
        break;
    case QCPAxis::atBottom:
        cachedtext::drawText(painter, QRect(origin.x(), origin.y() + margin, axisRect.width(), height), kTitleFlags, label);
        box.setCoords(axisRect.left(), origin.y() + distance + height, axisRect.right(), origin.y() + distance);
        break;
    }
    mLabelSelectionBox = box.normalized();
}

int AxisPainter::titleHeight(QCPPainter *painter)
{
    // The painter's font carries the device's resolution, which QFont's == does not compare.
    const QFont &font = painter->font();
    const int dpi = painter->device()->logicalDpiY();
    if (m_drawnTitleHeight < 0 || dpi != m_drawnTitleDpi || label != m_drawnTitle || !(font == m_drawnTitleFont)) {
        m_drawnTitleHeight = painter->fontMetrics().boundingRect(0, 0, 0, 0, Qt::TextDontClip, label).height();
        m_drawnTitleFont = font;
        m_drawnTitle = label;
        m_drawnTitleDpi = dpi;
    }
    return m_drawnTitleHeight;
}

int AxisPainter::size()
{
    if (label.isEmpty())
        return QCPAxisPainterPrivate::size();
    const QString title = std::exchange(label, QString());
    const int withoutTitle = QCPAxisPainterPrivate::size();
    label = title;
    // Measured as QCPAxisPainterPrivate::size measures it, once per font and text.
    if (m_sizedTitleHeight < 0 || label != m_sizedTitle || !(labelFont == m_sizedTitleFont)) {
        m_sizedTitleHeight = QFontMetrics(labelFont).boundingRect(0, 0, 0, 0, Qt::TextDontClip | Qt::AlignHCenter | Qt::AlignVCenter, label).height();
        m_sizedTitleFont = labelFont;
        m_sizedTitle = label;
    }
    return withoutTitle + m_sizedTitleHeight + labelPadding;
}

QByteArray AxisPainter::generateLabelParameterHash() const
{
    const LabelParameters now{mParentPlot->bufferDevicePixelRatio(), tickLabelRotation, tickLabelSide, substituteExponent,
                              numberMultiplyCross, tickLabelColor, tickLabelFont};
    // QFont's == compares every property that its toString() (part of the key) writes.
    if (!m_keyValid || !(now == m_keyParameters)) {
        m_key = QCPAxisPainterPrivate::generateLabelParameterHash();
        m_keyParameters = now;
        m_keyValid = true;
    }
    return m_key;
}

} // namespace mlastudio::ui
