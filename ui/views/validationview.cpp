// SPDX-License-Identifier: MIT
#include "views/validationview.h"

#include "measuredset.h"
#include "scenario.h"
#include "schemestyle.h"
#include "views/cachedtext.h"
#include "views/figurelayout.h"
#include "views/viewutil.h"

#include "mlastudio/core/report.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QHeaderView>
#include <QTableWidget>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlastudio::ui {

using namespace viewutil;

namespace {

constexpr double kBand = 0.20;          // the ±20 % band around y = x
constexpr double kHoverPixels = 8.0;    // how near the mouse must be to a marker

QCPScatterStyle::ScatterShape shapeOf(SchemeMarker marker)
{
    switch (marker) {
    case SchemeMarker::Circle: return QCPScatterStyle::ssCircle;
    case SchemeMarker::Square: return QCPScatterStyle::ssSquare;
    case SchemeMarker::Diamond: return QCPScatterStyle::ssDiamond;
    case SchemeMarker::Triangle: return QCPScatterStyle::ssTriangle;
    case SchemeMarker::TriangleInverted: return QCPScatterStyle::ssTriangleInverted;
    case SchemeMarker::Cross: return QCPScatterStyle::ssCross;
    case SchemeMarker::Plus: return QCPScatterStyle::ssPlus;
    }
    return QCPScatterStyle::ssCircle;
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString heads(const core::ValidationRow &r)
{
    const core::ModelConfig &m = r.params.model;
    if (core::isMlaScheme(r.point.scheme))
        return QStringLiteral("%1 (d_c %2, d_R %3)").arg(m.numHeads).arg(m.kvLoraRank).arg(m.qkRopeHeadDim);
    if (r.point.scheme == core::Scheme::Gqa)
        return QStringLiteral("%1 (KV %2)").arg(m.numHeads).arg(m.numKvHeads);
    return QString::number(m.numHeads);
}

// The same list shared by every view of a process: the shipped points do not change while it runs.
struct Loaded {
    std::vector<core::ValidationRow> rows;
    QString error;
};

Loaded load(const QStringList &files)
{
    Loaded l;
    try {
        const PresetRegistry &registry = Scenario::presetRegistry();
        l.rows = validationRows(loadMeasuredPoints(files, registry), registry);
    } catch (const std::exception &e) {  // core::MeasuredError, core::PresetError, core::ModelError
        l.error = QString::fromStdString(e.what());
    }
    if (l.error.isEmpty() && l.rows.empty())
        l.error = QObject::tr("No measured points (presets/measured/ is empty)");
    return l;
}

const Loaded &shipped()
{
    static const Loaded loaded = load(shippedMeasuredFiles());
    return loaded;
}

} // namespace

ValidationView::ValidationView(Scenario *scenario, QWidget *parent, const QStringList &files)
    : PlotView(scenario, parent)
    , m_table(new QTableWidget(this))
{
    const Loaded loaded = files.isEmpty() ? shipped() : load(files);
    m_rows = loaded.rows;
    m_loadError = loaded.error;

    QCustomPlot *p = plot();
    setLogAxis(p->xAxis);
    setLogAxis(p->yAxis);
    p->xAxis->setLabel(tr("measured kernel time (µs)"));
    p->yAxis->setLabel(tr("predicted kernel time (µs)"));
    figureLayout()->setAxisTitles(p->yAxis, p->yAxis->label(), tr("predicted (µs)"));  // a short dock
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    figureLayout()->addLegend(p->legend, p->axisRect());
    connect(p, &QCustomPlot::mouseMove, this, &ValidationView::showToolTip);
    // Only the derate setting changes what this view shows: other edits (a slider move) cost nothing.
    if (scenario) {
        disconnect(scenario, &Scenario::resultsChanged, this, &PlotView::refresh);
        connect(scenario, &Scenario::resultsChanged, this, &ValidationView::resultsChanged);
    }

    m_table->setObjectName(QStringLiteral("validationTable"));
    // Focus by click only: closing another dock must not hand the keyboard focus (and so the
    // export dialog's active view) to this table.
    m_table->setFocusPolicy(Qt::ClickFocus);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->setVisible(false);
    m_table->setColumnCount(12);
    m_table->setHorizontalHeaderLabels({tr("point"), tr("hardware"), tr("scheme"), tr("phase"), tr("B"), tr("L"), tr("S"),
                                        tr("heads"), tr("predicted (µs)"), tr("measured (µs)"), tr("ratio"), tr("source")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setMinimumHeight(120);
    mainLayout()->addWidget(m_table, 1);  // under the plot, which keeps the larger share
    mainLayout()->setStretch(0, 2);
    applyTheme(theme());
}

ValidationView::~ValidationView() = default;

void ValidationView::resultsChanged()
{
    if (scenario()->parameters().applyDerates != m_shownDerates)
        refresh();
}

double ValidationView::shownPredictionS(const core::ValidationRow &row) const
{
    return scenario() && scenario()->parameters().applyDerates ? row.predictedOnS : row.predictedOffS;
}

void ValidationView::rebuild()
{
    QCustomPlot *p = plot();
    clearContent();
    m_markers.clear();
    m_shownDerates = scenario() && scenario()->parameters().applyDerates;
    const FigureTheme &t = theme();
    p->legend->setVisible(!m_rows.empty());
    if (m_rows.empty()) {
        setMessage(tr("Cannot show the validation:\n%1").arg(m_loadError));
        p->xAxis->setRange(1, 1e4);
        p->yAxis->setRange(1, 1e4);
        fillTable();
        return;
    }
    setMessage({});
    const bool on = scenario() && scenario()->parameters().applyDerates;

    double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
    for (const core::ValidationRow &r : m_rows) {
        const QPointF xy(r.point.measuredTimeS * 1e6, shownPredictionS(r) * 1e6);
        m_markers.push_back(xy);
        lo = std::min({lo, xy.x(), xy.y()});
        hi = std::max({hi, xy.x(), xy.y()});
    }
    const double xMin = decadeBelow(lo / 1.5), xMax = decadeAbove(hi * 1.5);

    // The band first, so the markers draw over it.
    const auto line = [&](double factor, const QString &name, const QPen &pen) {
        QCPGraph *g = p->addGraph();
        g->setName(name);
        g->setPen(pen);
        g->setData({xMin, xMax}, {xMin * factor, xMax * factor});
        return g;
    };
    const QColor bandColor = flatten(QColor(t.foreground.red(), t.foreground.green(), t.foreground.blue(), 28), t.background);
    QCPGraph *upper = line(1.0 + kBand, tr("+20 %"), QPen(bandColor.darker(115), 1.0));
    QCPGraph *lower = line(1.0 - kBand, tr("−20 %"), QPen(bandColor.darker(115), 1.0));
    upper->setBrush(QBrush(bandColor));
    upper->setChannelFillGraph(lower);
    lower->removeFromLegend();
    upper->setName(tr("±20 %"));
    line(1.0, tr("y = x"), QPen(t.foreground, std::max(1.0, t.lineWidth * 0.5), Qt::DashLine));

    for (core::Scheme s : core::kAllSchemes) {
        QCPGraph *g = nullptr;
        for (std::size_t i = 0; i < m_rows.size(); ++i) {
            if (m_rows[i].point.scheme != s)
                continue;
            if (!g) {
                g = p->addGraph();
                g->setName(schemeName(s));
                g->setLineStyle(QCPGraph::lsNone);
                const QColor c = t.schemeColor(s);
                g->setPen(QPen(c, 1.5));
                g->setScatterStyle(QCPScatterStyle(shapeOf(schemeMarker(s)), c, t.background, t.markerSize));
            }
            g->addData(m_markers[i].x(), m_markers[i].y());
        }
    }

    const core::ValidationSummary summary = core::summarizeValidation(m_rows);
    auto *key = new cachedtext::ItemText(p);
    key->position->setType(QCPItemPosition::ptAxisRectRatio);
    key->position->setCoords(0.98, 0.98);
    key->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
    key->setTextAlignment(Qt::AlignRight);
    key->setFont(themeFont(t, 0.8));
    key->setColor(t.foreground);
    const QString count = summary.anomalous > 0 && summary.anomalous < summary.points
                              ? tr("%1 points (%2 anomalous, not in the statistics)").arg(m_rows.size()).arg(summary.anomalous)
                              : tr("%1 points").arg(m_rows.size());
    key->setText(tr("%1\nderates %2 · MAPE %3 % · median ratio %4")
                     .arg(count)
                     .arg(on ? tr("on") : tr("off"))
                     .arg(on ? summary.mapeOnPct : summary.mapeOffPct, 0, 'f', 1)
                     .arg(on ? summary.medianRatioOn : summary.medianRatioOff, 0, 'f', 2));
    // In a corner free of markers and the legend (the diagonal leaves two of them free).
    QVector<FigureLayout::Spot> corners;
    for (const Qt::Alignment a : {Qt::AlignRight | Qt::AlignBottom, Qt::AlignLeft | Qt::AlignTop, Qt::AlignRight | Qt::AlignTop,
                                  Qt::AlignLeft | Qt::AlignBottom})
        corners.push_back({a.testFlag(Qt::AlignLeft) ? 0.0 : 1.0, a.testFlag(Qt::AlignTop) ? 0.0 : 1.0, a,
                           {a.testFlag(Qt::AlignLeft) ? 4.0 : -4.0, a.testFlag(Qt::AlignTop) ? 3.0 : -3.0}, true, true});
    figureLayout()->addLabel(key, corners, true);
    setPaddedLogRange(p->xAxis, xMin, xMax);
    setPaddedLogRange(p->yAxis, xMin, xMax);
    fillTable();
}

void ValidationView::fillTable()
{
    m_table->setRowCount(int(m_rows.size()));
    const auto set = [this](int row, int column, const QString &text, bool number = false) {
        auto *item = new QTableWidgetItem(text);
        if (number)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, column, item);
    };
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const core::ValidationRow &r = m_rows[i];
        const core::MeasuredPoint &pt = r.point;
        const int row = int(i);
        const double predicted = shownPredictionS(r);
        set(row, 0, qs(pt.id()));
        set(row, 1, qs(pt.hardwareId));
        set(row, 2, schemeIdString(pt.scheme));
        set(row, 3, qs(core::phaseId(pt.phase)));
        set(row, 4, QString::number(pt.batch), true);
        set(row, 5, QString::number(pt.seqLen), true);
        set(row, 6, QString::number(core::queryTokensPerRequest(r.params.workload)), true);
        set(row, 7, heads(r));
        set(row, 8, QString::number(predicted * 1e6, 'f', 1), true);
        set(row, 9, QString::number(pt.measuredTimeS * 1e6, 'f', 1), true);
        set(row, 10, QString::number(predicted / pt.measuredTimeS, 'f', 3), true);
        set(row, 11, qs(pt.source));
        if (pt.anomalous)
            for (int c = 0; c < m_table->columnCount(); ++c)
                m_table->item(row, c)->setToolTip(tr("Marked anomalous by its source: %1").arg(qs(pt.note)));
    }
    // The source column stretches; the others fit their contents (only redone on a derate toggle).
    for (int c = 0; c + 1 < m_table->columnCount(); ++c)
        m_table->resizeColumnToContents(c);
}

QString ValidationView::toolTipAt(const QPoint &pixel) const
{
    const QCustomPlot *p = plot();
    double best = kHoverPixels;
    int found = -1;
    for (std::size_t i = 0; i < m_markers.size(); ++i) {
        const double dx = p->xAxis->coordToPixel(m_markers[i].x()) - pixel.x();
        const double dy = p->yAxis->coordToPixel(m_markers[i].y()) - pixel.y();
        const double d = std::hypot(dx, dy);
        if (d <= best) {
            best = d;
            found = int(i);
        }
    }
    if (found < 0)
        return {};
    const core::ValidationRow &r = m_rows[std::size_t(found)];
    const core::MeasuredPoint &pt = r.point;
    const bool on = scenario() && scenario()->parameters().applyDerates;
    QString text = tr("%1 on %2, %3, %4\nB = %5, L = %6, S = %7, heads %8, %9\n"
                      "measured %10 µs, predicted %11 µs (derates %12), ratio %13")
                       .arg(schemeName(pt.scheme), qs(pt.hardwareId), qs(pt.modelId), qs(core::phaseId(pt.phase)))
                       .arg(pt.batch)
                       .arg(pt.seqLen)
                       .arg(core::queryTokensPerRequest(r.params.workload))
                       .arg(heads(r), qs(std::string(core::measuredDtypeId(pt.dtype))))
                       .arg(pt.measuredTimeS * 1e6, 0, 'f', 1)
                       .arg(shownPredictionS(r) * 1e6, 0, 'f', 1)
                       .arg(on ? tr("on") : tr("off"))
                       .arg(shownPredictionS(r) / pt.measuredTimeS, 0, 'f', 3);
    text += tr("\nsource: %1\npoint: %2").arg(qs(pt.source), qs(pt.id()));
    if (pt.anomalous)
        text += tr("\nmarked anomalous");
    if (!pt.note.empty())
        text += QLatin1Char('\n') + qs(pt.note);
    return text;
}

void ValidationView::showToolTip(QMouseEvent *event)
{
    const QString text = toolTipAt(event->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, plot());
}

QStringList ValidationView::csvRows() const
{
    QStringList rows{QStringLiteral("id,hardware,scheme,phase,batch,seq_len,query_len,heads,kv_heads,predicted_s,measured_s,ratio,derates,source")};
    const auto quote = [](QString s) {
        s.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + s + QLatin1Char('"');
    };
    const bool on = scenario() && scenario()->parameters().applyDerates;
    for (const core::ValidationRow &r : m_rows) {
        const core::MeasuredPoint &pt = r.point;
        const double predicted = shownPredictionS(r);
        rows << QStringList{quote(qs(pt.id())), qs(pt.hardwareId), schemeIdString(pt.scheme), qs(core::phaseId(pt.phase)),
                            QString::number(pt.batch), QString::number(pt.seqLen),
                            QString::number(core::queryTokensPerRequest(r.params.workload)),
                            QString::number(r.params.model.numHeads), QString::number(r.params.model.numKvHeads),
                            QString::number(predicted, 'g', 10), QString::number(pt.measuredTimeS, 'g', 10),
                            QString::number(predicted / pt.measuredTimeS, 'g', 10), on ? QStringLiteral("on") : QStringLiteral("off"),
                            quote(qs(pt.source))}
                    .join(QLatin1Char(','));
    }
    return rows;
}

nlohmann::json ValidationView::dataJson() const
{
    if (m_rows.empty())
        return {{"error", m_loadError.toStdString()}};
    nlohmann::json j = core::validationToJson(m_rows, core::summarizeValidation(m_rows));
    j["derates"] = scenario() && scenario()->parameters().applyDerates;
    return j;
}

} // namespace mlastudio::ui
