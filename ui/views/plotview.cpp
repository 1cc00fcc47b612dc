// SPDX-License-Identifier: MIT
#include "views/plotview.h"

#include "scenario.h"
#include "views/axispainter.h"
#include "views/cachedtext.h"
#include "views/figurelayout.h"
#include "views/screenplot.h"
#include "views/viewutil.h"

#include "mlastudio/core/inputlimits.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QResizeEvent>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace mlastudio::ui {

namespace {

/** drawLegendIcon is protected; QCustomPlot's own legend item is its friend, a subclass is not. The
 *  member pointer, named through a class that makes it public, calls the plottable's override. */
struct LegendIconAccess : QCPAbstractPlottable {
    using QCPAbstractPlottable::drawLegendIcon;
};
constexpr auto iconPainter()
{
    return &LegendIconAccess::drawLegendIcon;
}

/** A plottable's legend entry that measures its text once (QCustomPlot shapes it again at every
 *  layout pass, several times per replot); the size is the one QCPPlottableLegendItem computes. */
class MeasuredLegendItem final : public QCPPlottableLegendItem
{
public:
    MeasuredLegendItem(QCPLegend *legend, QCPAbstractPlottable *plottable)
        : QCPPlottableLegendItem(legend, plottable)
    {
    }

protected:
    QSize minimumOuterSizeHint() const override
    {
        if (!mPlottable)
            return {};
        const QSize icon = mParentLegend->iconSize();
        const QRect text = viewutil::textBounds(getFont(), Qt::TextDontClip, mPlottable->name(), icon.height());
        return {icon.width() + mParentLegend->iconTextPadding() + text.width() + mMargins.left() + mMargins.right(),
                std::max(text.height(), icon.height()) + mMargins.top() + mMargins.bottom()};
    }

    // QCPPlottableLegendItem::draw, measuring with the remembered metrics and drawing the name
    // through the text cache.
    void draw(QCPPainter *painter) override
    {
        if (!mPlottable || !cachedtext::isCached(painter)) {
            QCPPlottableLegendItem::draw(painter);  // exports: exactly as QCustomPlot draws it
            return;
        }
        const QFont font = getFont();
        painter->setFont(font);
        painter->setPen(QPen(getTextColor()));
        const QSize iconSize = mParentLegend->iconSize();
        const QRect textRect = viewutil::textBounds(font, Qt::TextDontClip, mPlottable->name(), iconSize.height());
        const QRect iconRect(mRect.topLeft(), iconSize);
        const int textHeight = std::max(textRect.height(), iconSize.height());
        cachedtext::drawText(painter,
                             QRect(mRect.x() + iconSize.width() + mParentLegend->iconTextPadding(), mRect.y(),
                                   textRect.width(), textHeight),
                             Qt::TextDontClip, mPlottable->name());
        painter->save();
        painter->setClipRect(iconRect, Qt::IntersectClip);
        (mPlottable->*iconPainter())(painter, iconRect);
        painter->restore();
        if (getIconBorderPen().style() != Qt::NoPen) {
            painter->setPen(getIconBorderPen());
            painter->setBrush(Qt::NoBrush);
            const int halfPen = int(std::ceil(painter->pen().widthF() * 0.5)) + 1;
            painter->setClipRect(mOuterRect.adjusted(-halfPen, -halfPen, halfPen, halfPen));
            painter->drawRect(iconRect);
        }
    }
};

/** \return true for an entry QCustomPlot made itself (addToLegend()), not one of a subclass. */
bool isPlainEntry(const QCPAbstractLegendItem *item)
{
    // MeasuredLegendItem has no Q_OBJECT: its metaObject() is its base's too.
    return item->metaObject() == &QCPPlottableLegendItem::staticMetaObject && !dynamic_cast<const MeasuredLegendItem *>(item);
}

/** Replaces the plain plottable entries of \p legend by MeasuredLegendItem, in the same order. */
void useMeasuredLegendItems(QCPLegend *legend)
{
    QList<QCPAbstractLegendItem *> items;
    bool plain = false;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (QCPAbstractLegendItem *item = legend->item(i)) {  // a wrapped legend has empty cells
            items << item;
            plain = plain || isPlainEntry(item);
        }
    if (!plain)
        return;
    for (QCPAbstractLegendItem *item : std::as_const(items))
        legend->take(item);
    legend->simplify();
    for (QCPAbstractLegendItem *item : std::as_const(items)) {
        if (!isPlainEntry(item)) {
            legend->addItem(item);
            continue;
        }
        auto *old = static_cast<QCPPlottableLegendItem *>(item);
        auto *measured = new MeasuredLegendItem(legend, old->plottable());
        measured->setFont(old->font());
        measured->setTextColor(old->textColor());
        measured->setSelectedFont(old->selectedFont());
        measured->setSelectedTextColor(old->selectedTextColor());
        measured->setSelectable(old->selectable());
        measured->setSelected(old->selected());
        measured->setVisible(old->visible());
        measured->setLayer(old->layer());
        measured->setMargins(old->margins());
        legend->addItem(measured);
        delete old;
    }
}

} // namespace

PlotView::PlotView(Scenario *scenario, QWidget *parent)
    : QWidget(parent)
    , m_scenario(scenario)
    , m_plot(new ScreenPlot(this))
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    m_layout->addWidget(m_plot, 1);
    m_plot->setMinimumSize(200, 150);
    m_plot->setNoAntialiasingOnDrag(true);
    // Fast polylines roughly halve replot time while a slider moves; the exporter turns them off.
    m_plot->setPlottingHints(m_plot->plottingHints() | QCP::phFastPolylines);
    // A replot asks for a paint instead of painting at once: the views a slider move replots are
    // painted together in the window's next paint pass, not one synchronous repaint each.
    m_plot->setPlottingHint(QCP::phImmediateRefresh, false);

    m_message = new cachedtext::ItemText(m_plot);
    m_message->setClipToAxisRect(false);
    m_message->position->setType(QCPItemPosition::ptViewportRatio);
    m_message->position->setCoords(0.5, 0.45);
    m_message->setPositionAlignment(Qt::AlignCenter);
    m_message->setTextAlignment(Qt::AlignCenter);
    m_message->setPadding(QMargins(10, 6, 10, 6));
    m_message->setVisible(false);
    m_message->setLayer(QStringLiteral("legend"));
    m_figureLayout = new FigureLayout(m_plot);

    m_theme = FigureTheme::preset(scenario ? scenario->viewSettings().theme : ThemeId::Light);
    if (scenario) {
        connect(scenario, &Scenario::resultsChanged, this, &PlotView::refresh);
        connect(scenario, &Scenario::presentationChanged, this, &PlotView::refresh);
    }
}

PlotView::~PlotView() = default;

void PlotView::refresh()
{
    // A view in a hidden tab of a shown window waits until it is shown: only visible views cost time.
    if (window()->isVisible() && !isVisible()) {
        m_dirty = true;
        return;
    }
    m_dirty = false;
    if (!m_themeOverride && m_scenario && m_scenario->viewSettings().theme != m_theme.id) {
        applyTheme(FigureTheme::preset(m_scenario->viewSettings().theme));
        return; // applyTheme rebuilds
    }
    rebuildContent();
    queueReplot();
}

void PlotView::applyTheme(const FigureTheme &theme)
{
    m_theme = theme;
    m_figureLayout->restoreLegends();  // other fonts: legends and margins are placed again
    m_plot->setBackground(QBrush(theme.background));
    QFont font(theme.fontFamily);
    font.setPointSizeF(theme.fontPointSize);
    m_plot->setFont(font);
    const auto elements = m_plot->plotLayout()->elements(true);
    for (QCPLayoutElement *el : elements) {
        if (auto *rect = qobject_cast<QCPAxisRect *>(el))
            styleAxisRect(rect);
        if (auto *legend = qobject_cast<QCPLegend *>(el)) {
            legend->setFont(font);
            legend->setTextColor(theme.foreground);
            legend->setBrush(QBrush(theme.background));
            legend->setBorderPen(QPen(theme.grid, 1.0));
            legend->setIconSize(int(std::lround(theme.fontPointSize * 2.2)), int(std::lround(theme.fontPointSize * 1.3)));
        }
        if (auto *title = qobject_cast<QCPTextElement *>(el)) {
            QFont f = font;
            f.setBold(true);
            title->setFont(f);
            title->setTextColor(theme.foreground);
        }
    }
    QFont msgFont = font;
    msgFont.setPointSizeF(theme.fontPointSize * 1.2);
    m_message->setFont(msgFont);
    m_message->setColor(theme.foreground);
    m_message->setBrush(QBrush(theme.background));
    m_message->setPen(QPen(theme.foreground, 1.0));
    themeChanged();
    rebuildContent();
    queueReplot();
}

void PlotView::setThemeOverride(const std::optional<FigureTheme> &theme)
{
    m_themeOverride = theme;
    applyTheme(theme ? *theme : FigureTheme::preset(m_scenario ? m_scenario->viewSettings().theme : ThemeId::Light));
}

void PlotView::setDirectLabels(bool on)
{
    if (m_directLabels == on)
        return;
    m_directLabels = on;
    refresh();
}

void PlotView::setDragMode(bool on)
{
    if (on == m_dragMode)
        return;
    m_dragMode = on;
    // The same steps as QCPAxisRect's range drag: back up both sets, then switch everything off.
    if (on) {
        m_antialiasedBackup = int(m_plot->antialiasedElements());
        m_notAntialiasedBackup = int(m_plot->notAntialiasedElements());
        m_plot->setNotAntialiasedElements(QCP::aeAll);
        return;
    }
    m_plot->setAntialiasedElements(QCP::AntialiasedElements(m_antialiasedBackup));
    m_plot->setNotAntialiasedElements(QCP::AntialiasedElements(m_notAntialiasedBackup));
    // Not refresh(): an export leaves drag mode in its own theme, and a hidden view being exported
    // must not stay coarse.
    if (staleAfterDrag())
        rebuildContent();
    if (isVisible())
        queueReplot();
}

void PlotView::setAxesLocked(bool locked)
{
    m_axesLocked = locked;
    m_lockedRanges.clear();
    if (!locked) {
        refresh();
        return;
    }
    ensureCurrent();
    for (QCPLayoutElement *el : m_plot->plotLayout()->elements(true))
        if (auto *rect = qobject_cast<QCPAxisRect *>(el))
            for (QCPAxis *axis : rect->axes())
                m_lockedRanges.append({axis, axis->label(), axis->range().lower, axis->range().upper});
}

void PlotView::rebuildContent()
{
    rebuild();
    QList<QCPLegend *> legends;
    for (QCPLayoutElement *el : m_plot->plotLayout()->elements(true))
        if (auto *legend = qobject_cast<QCPLegend *>(el))
            legends << legend;
    for (QCPLegend *legend : std::as_const(legends))
        useMeasuredLegendItems(legend);
    for (LockedRange &locked : m_lockedRanges) {
        if (!locked.axis)
            continue;
        // An axis that now shows another quantity (a new sweep axis) is locked at its new range.
        if (locked.axis->label() != locked.label) {
            locked.label = locked.axis->label();
            locked.lower = locked.axis->range().lower;
            locked.upper = locked.axis->range().upper;
        }
        locked.axis->setRange(locked.lower, locked.upper);
    }
}

void PlotView::styleAxisRect(QCPAxisRect *rect) const
{
    QFont font(m_theme.fontFamily);
    font.setPointSizeF(m_theme.fontPointSize);
    const QPen axisPen(m_theme.foreground, std::max(1.0, m_theme.lineWidth * 0.5));
    for (QCPAxis *axis : rect->axes()) {
        AxisPainter::install(axis);  // titles from the text cache, a larger tick-label cache
        axis->setBasePen(axisPen);
        axis->setTickPen(axisPen);
        axis->setSubTickPen(axisPen);
        axis->setTickLabelColor(m_theme.foreground);
        axis->setLabelColor(m_theme.foreground);
        axis->setTickLabelFont(font);
        axis->setLabelFont(font);
        axis->grid()->setPen(QPen(m_theme.grid, 1.0, Qt::SolidLine));
        axis->grid()->setSubGridPen(QPen(m_theme.subGrid, 1.0, Qt::SolidLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
    rect->setBackground(QBrush(m_theme.background));
}

void PlotView::setMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

bool PlotView::isShowingMessage() const
{
    return m_message->visible();
}

QString PlotView::messageText() const
{
    return m_message->visible() ? m_message->text() : QString();
}

void PlotView::queueReplot()
{
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void PlotView::clearContent()
{
    m_figureLayout->clear();
    // Extra legends (not the plot's own) would keep items pointing at deleted plottables.
    QList<QCPLegend *> legends;
    const auto elements = m_plot->plotLayout()->elements(true);
    for (QCPLayoutElement *el : elements)
        if (auto *legend = qobject_cast<QCPLegend *>(el))
            legends << legend;
    for (QCPLegend *legend : legends)
        legend->clearItems();
    // As clearPlottables() does, last to first, sparing the kept one.
    for (int i = m_plot->plottableCount() - 1; i >= 0; --i)
        if (m_plot->plottable(i) != m_keptPlottable)
            m_plot->removePlottable(i);
    for (int i = m_plot->itemCount() - 1; i >= 0; --i) {
        QCPAbstractItem *item = m_plot->item(i);
        if (item != m_message)
            m_plot->removeItem(item);
    }
}

void PlotView::keepOnClear(QCPAbstractPlottable *plottable)
{
    m_keptPlottable = plottable;
}

QStringList PlotView::csvRows() const
{
    QStringList rows{QStringLiteral("series,x,y")};
    const auto quote = [](QString s) {
        s.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + s + QLatin1Char('"');
    };
    for (int i = 0; i < m_plot->plottableCount(); ++i) {
        QCPAbstractPlottable *p = m_plot->plottable(i);
        if (!p->visible() || p->name().isEmpty())
            continue;
        if (auto *g = qobject_cast<QCPGraph *>(p)) {
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
                if (std::isfinite(it->value))
                    rows << quote(g->name()) + QLatin1Char(',') + QString::number(it->key, 'g', 10) + QLatin1Char(',')
                                + QString::number(it->value, 'g', 10);
        } else if (auto *b = qobject_cast<QCPBars *>(p)) {
            for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it)
                rows << quote(b->name()) + QLatin1Char(',') + QString::number(it->key, 'g', 10) + QLatin1Char(',')
                            + QString::number(it->value, 'g', 10);
        }
    }
    return rows;
}

nlohmann::json PlotView::dataJson() const
{
    nlohmann::json series = nlohmann::json::array();
    for (int i = 0; i < m_plot->plottableCount(); ++i) {
        QCPAbstractPlottable *p = m_plot->plottable(i);
        if (!p->visible() || p->name().isEmpty())
            continue;
        std::vector<double> xs, ys;
        if (auto *g = qobject_cast<QCPGraph *>(p)) {
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
                if (std::isfinite(it->value)) {
                    xs.push_back(it->key);
                    ys.push_back(it->value);
                }
        } else if (auto *b = qobject_cast<QCPBars *>(p)) {
            for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it) {
                xs.push_back(it->key);
                ys.push_back(it->value);
            }
        } else {
            continue;
        }
        series.push_back({{"name", p->name().toStdString()}, {"x", xs}, {"y", ys}});
    }
    return series;
}

void PlotView::showInvalidInputs()
{
    QString text = tr("Invalid inputs: nothing to plot");
    for (const auto &issue : m_scenario->issues())
        text += QLatin1Char('\n') + QString::fromStdString(core::formatIssue(issue, core::IssueStyle::Display));
    setMessage(text);
}

void PlotView::setSidePanel(QCPAxisRect *panel, double share)
{
    m_sidePanel = panel;
    m_sideShare = share;
    m_sideStacked = true;  // force the first arrangement to place it
    arrangeForSize(QSize(1000, 500));
}

void PlotView::arrangeForSize(const QSize &size)
{
    prepareForSize(size);
    if (!m_sidePanel || size.isEmpty())
        return;
    m_figureLayout->restoreLegends();  // a legend below a rect occupies the grid cells moved here
    const bool stack = size.width() < kSideBySideAspect * size.height();
    QCPLayoutGrid *grid = m_plot->plotLayout();
    if (stack == m_sideStacked && grid->hasElement(stack ? 1 : 0, stack ? 0 : 1))
        return;
    // The main axis rect stays at row 0, column 0; the panel moves between (0, 1) and (1, 0).
    if (m_sidePanel->layout() == grid) {  // not yet placed on the first call
        grid->take(m_sidePanel);
        grid->simplify();
    }
    if (stack) {
        grid->addElement(1, 0, m_sidePanel);
        grid->setRowStretchFactors({1.0 - m_sideShare, m_sideShare});
    } else {
        grid->addElement(0, 1, m_sidePanel);
        grid->setColumnStretchFactors({1.0 - m_sideShare, m_sideShare});
    }
    m_sideStacked = stack;
}

void PlotView::ensureCurrent()
{
    if (m_dirty) {
        m_dirty = false;
        rebuildContent();
    }
}

void PlotView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refresh();
}

void PlotView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    arrangeForSize(m_plot->size());
}

} // namespace mlastudio::ui
