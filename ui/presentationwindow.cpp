// SPDX-License-Identifier: MIT
#include "presentationwindow.h"

#include "controlpanel.h"
#include "fieldplayer.h"
#include "scenario.h"
#include "views/figuretheme.h"
#include "views/plotview.h"
#include "views/rooflineview.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QResizeEvent>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QShortcut>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <functional>

namespace mlastudio::ui {

namespace {

constexpr double kZoomStep = 1.25;
constexpr double kMinZoom = 0.5;
constexpr double kMaxZoom = 4.0;
// Side-panel and caption text at zoom 1, in points (the plot uses the slides theme's 16 pt).
constexpr double kPanelPointSize = 13.0;
constexpr double kCaptionPointSize = 18.0;
// The slides theme is sized for a 13.33 in slide at 96 dpi: 1280 × 720 px. Larger screens scale it up.
constexpr double kSlideWidthPx = 1280.0;
constexpr double kSlideHeightPx = 720.0;

// The theme of presentation mode, at a text scale.
FigureTheme slidesTheme(double scale)
{
    return FigureTheme::preset(ThemeId::Slides).scaled(scale);
}

QString str(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString valueText(const core::FieldInfo &info, double display)
{
    const QString number = info.integer ? QString::number(qint64(std::llround(display))) : QString::number(display, 'g', 4);
    if (info.unit.empty())
        return number;
    // "1 request", "2 requests": a count's unit is a plural word (as in the control panel).
    QString unit = str(info.unit);
    const bool countNoun = std::all_of(unit.cbegin(), unit.cend(), [](QChar c) { return c.isLetter(); });
    if (info.integer && std::llround(display) == 1 && countNoun && unit.endsWith(QLatin1Char('s')))
        unit.chop(1);
    return number + QLatin1Char(' ') + unit;
}

} // namespace

/** The key sliders: a label, the value and a slider per field, following the scenario. */
class PresentationControls final : public QWidget
{
public:
    PresentationControls(Scenario *scenario, QWidget *parent)
        : QWidget(parent)
        , m_scenario(scenario)
    {
        auto *grid = new QGridLayout(this);
        grid->setContentsMargins(0, 0, 0, 0);
        grid->setVerticalSpacing(4);
        int row = 0;
        for (core::Field field : PresentationWindow::kKeyFields) {
            const core::FieldInfo &info = core::fieldInfo(field);
            Row r;
            r.field = field;
            r.name = new QLabel(str(info.label), this);
            r.value = new QLabel(this);
            r.value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
            r.value->setObjectName(QStringLiteral("value_") + str(info.id));
            r.slider = new QSlider(Qt::Horizontal, this);
            r.slider->setObjectName(QStringLiteral("slider_") + str(info.id));
            r.slider->setRange(0, ControlPanel::kSliderSteps);
            r.slider->setPageStep(ControlPanel::kSliderSteps / 20);
            // Keys belong to the presentation (PageDown steps the deck), not to the focused slider.
            r.slider->setFocusPolicy(Qt::NoFocus);
            connect(r.slider, &QSlider::valueChanged, this, [this, field](int position) {
                if (m_updating)
                    return;
                const core::FieldInfo &fi = core::fieldInfo(field);
                m_scenario->setField(field, ControlPanel::sliderValue(fi, position) * fi.displayScale);
            });
            connect(r.slider, &QSlider::sliderReleased, m_scenario, &Scenario::endMerge);
            // Held, as in the control panel: the view draws fast until the release replots it antialiased.
            m_hold.watch(r.slider, this);
            grid->addWidget(r.name, row, 0);
            grid->addWidget(r.value, row, 1);
            grid->addWidget(r.slider, row + 1, 0, 1, 2);
            row += 2;
            m_rows.push_back(r);
        }
        connect(m_scenario, &Scenario::parametersChanged, this, &PresentationControls::refresh);
        refresh();
    }

    /** Called with true when a slider is pressed and false when it is released. */
    void setHeldHandler(std::function<void(bool)> handler) { m_hold.setHandler(std::move(handler)); }
    bool isSliderHeld() const { return m_hold.isHeld(); }

    void refresh()
    {
        const QScopedValueRollback guard(m_updating, true);
        for (const Row &r : m_rows) {
            const core::FieldInfo &info = core::fieldInfo(r.field);
            const double display = core::fieldValue(m_scenario->parameters(), r.field) / info.displayScale;
            r.value->setText(valueText(info, display));
            if (!r.slider->isSliderDown() && ControlPanel::sliderValue(info, r.slider->value()) != display)
                r.slider->setValue(ControlPanel::sliderPosition(info, display));
        }
    }

private:
    struct Row {
        core::Field field;
        QLabel *name = nullptr;
        QLabel *value = nullptr;
        QSlider *slider = nullptr;
    };
    Scenario *m_scenario;
    std::vector<Row> m_rows;
    SliderHold m_hold;
    bool m_updating = false;
};

PresentationWindow::PresentationWindow(Scenario *document, ViewId view, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_document(document)
    , m_viewId(view)
{
    setObjectName(QStringLiteral("presentation"));
    setWindowTitle(tr("MLA Studio — Presentation"));
    setAttribute(Qt::WA_DeleteOnClose, false);
    m_player = new FieldPlayer(document, this);
    buildUi();
    // Until another deck is chosen, PageDown walks through the built-in one.
    Deck builtin;
    if (loadDeck(QString::fromLatin1(kBuiltinDeckPath), &builtin).isEmpty())
        m_deck = std::move(builtin);
    bindScenario();
    applyZoom();
}

PresentationWindow::~PresentationWindow()
{
    m_player->stop();
    delete m_view;  // before the deck's scenario it may observe
}

Scenario *PresentationWindow::scenario() const
{
    return m_step >= 0 && m_deckScenario ? m_deckScenario.get() : m_document;
}

void PresentationWindow::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(16, 12, 16, 8);
    outer->setSpacing(8);

    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("caption"));
    m_caption->setWordWrap(true);
    m_caption->setVisible(false);
    outer->addWidget(m_caption);

    auto *body = new QHBoxLayout;
    body->setSpacing(16);
    m_viewBox = new QVBoxLayout;
    body->addLayout(m_viewBox, 1);

    auto *side = new QVBoxLayout;
    side->setSpacing(10);
    m_viewCombo = new QComboBox(this);
    m_viewCombo->setObjectName(QStringLiteral("combo_view"));
    m_viewCombo->setFocusPolicy(Qt::NoFocus);
    for (ViewId id : kAllPlotViews) {
        // The titles come from the views themselves.
        const std::unique_ptr<PlotView> probe(createPlotView(id, m_document));
        m_viewCombo->addItem(probe ? probe->title() : viewIdName(id), int(id));
    }
    connect(m_viewCombo, &QComboBox::activated, this,
            [this](int index) { setView(ViewId(m_viewCombo->itemData(index).toInt())); });
    side->addWidget(m_viewCombo);
    m_controlsBox = new QVBoxLayout;
    side->addLayout(m_controlsBox);

    auto *playRow = new QHBoxLayout;
    m_playField = new QComboBox(this);
    m_playField->setObjectName(QStringLiteral("combo_play_field"));
    m_playField->setFocusPolicy(Qt::NoFocus);
    for (const core::FieldInfo &info : core::allFields())
        if (info.group != core::FieldGroup::Precision)
            m_playField->addItem(str(info.label), int(info.field));
    m_playField->setCurrentIndex(m_playField->findData(int(core::Field::KvLength)));
    connect(m_playField, &QComboBox::activated, this,
            [this](int index) { m_player->setField(core::Field(m_playField->itemData(index).toInt())); });
    m_player->setField(core::Field::KvLength);
    m_play = new QPushButton(this);
    m_play->setObjectName(QStringLiteral("button_play"));
    m_play->setFocusPolicy(Qt::NoFocus);
    m_play->setToolTip(tr("Sweep the chosen field over its range; any key or click stops it"));
    connect(m_play, &QPushButton::clicked, m_player, &FieldPlayer::toggle);
    connect(m_player, &FieldPlayer::playingChanged, this, &PresentationWindow::updatePlayButton);
    m_player->setControl(m_play);
    updatePlayButton(false);
    playRow->addWidget(m_playField, 1);
    playRow->addWidget(m_play);
    side->addLayout(playRow);
    side->addStretch(1);
    auto *sideWidget = new QWidget(this);
    sideWidget->setLayout(side);
    sideWidget->setObjectName(QStringLiteral("presentationSide"));
    body->addWidget(sideWidget, 0);
    m_side = sideWidget;
    outer->addLayout(body, 1);

    m_hint = new QLabel(tr("PageDown / PageUp: deck steps · Ctrl + / Ctrl − / Ctrl 0: text size · Esc or F11: leave"), this);
    m_hint->setObjectName(QStringLiteral("hint"));
    m_hint->setEnabled(false);  // drawn in the disabled (grey) colour: a hint, not content
    outer->addWidget(m_hint);

    const auto shortcut = [this](const QKeySequence &key, auto slot) {
        auto *s = new QShortcut(key, this);
        s->setContext(Qt::WindowShortcut);
        connect(s, &QShortcut::activated, this, slot);
    };
    shortcut(QKeySequence(Qt::Key_Escape), [this] { emit leaveRequested(); });
    shortcut(QKeySequence(Qt::Key_F11), [this] { emit leaveRequested(); });
    shortcut(QKeySequence(Qt::Key_PageDown), [this] { nextStep(); });
    shortcut(QKeySequence(Qt::Key_PageUp), [this] { previousStep(); });
    shortcut(QKeySequence::ZoomIn, [this] { zoomIn(); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_Equal), [this] { zoomIn(); });
    shortcut(QKeySequence::ZoomOut, [this] { zoomOut(); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_0), [this] { setZoom(1.0); });
    // 1 … 7 choose the view, in the order of the combo box.
    for (int i = 0; i < int(kAllPlotViews.size()); ++i)
        shortcut(QKeySequence(Qt::Key_1 + i), [this, i] { setView(kAllPlotViews[std::size_t(i)]); });
}

void PresentationWindow::bindScenario()
{
    Scenario *s = scenario();
    m_player->setScenario(s);
    // Controls replaced under a held slider never see its release: leave drag mode with them.
    if (m_controls && m_controls->isSliderHeld() && m_view)
        m_view->setDragMode(false);
    delete m_controls;
    m_controls = new PresentationControls(s, m_side);
    m_controls->setHeldHandler([this](bool held) {
        if (m_view)
            m_view->setDragMode(held);
    });
    m_controlsBox->addWidget(m_controls);
    setView(m_viewId);
}

void PresentationWindow::setView(ViewId id)
{
    m_viewId = id;
    m_viewCombo->setCurrentIndex(m_viewCombo->findData(int(id)));
    delete m_view;
    m_view = createPlotView(id, scenario(), this);
    m_viewBox->addWidget(m_view, 1);
    m_view->setFont(m_side->font());
    m_view->setThemeOverride(slidesTheme(textScale()));
    m_view->setAxesLocked(m_axesLocked);
    m_view->setDirectLabels(true);
    m_view->setDragMode(m_controls && m_controls->isSliderHeld());  // a view chosen (key 1–7) mid-drag
    // The roofline's Operators box is a main-window control: here the side panel holds the controls,
    // and a deck step's scenario (view.show_operators) or the main window's box decides.
    if (auto *roofline = qobject_cast<RooflineView *>(m_view.data()))
        roofline->operatorsBox()->hide();
    m_view->show();
}

void PresentationWindow::setZoom(double zoom)
{
    m_zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    applyZoom();
}

void PresentationWindow::zoomIn()
{
    setZoom(m_zoom * kZoomStep);
}

void PresentationWindow::zoomOut()
{
    setZoom(m_zoom / kZoomStep);
}

double PresentationWindow::textScale() const
{
    return m_zoom * m_screenScale;
}

void PresentationWindow::applyZoom()
{
    QFont panel = font();
    panel.setPointSizeF(kPanelPointSize * textScale());
    m_side->setFont(panel);
    m_hint->setFont(panel);
    QFont caption = font();
    caption.setPointSizeF(kCaptionPointSize * textScale());
    m_caption->setFont(caption);
    if (m_view) {
        m_view->setFont(panel);  // the view's own controls (x axis); the plot has the theme's fonts
        // Locked ranges survive the new theme: only the text grows.
        m_view->setThemeOverride(slidesTheme(textScale()));
    }
}

void PresentationWindow::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    const double scale = std::clamp(std::min(width() / kSlideWidthPx, height() / kSlideHeightPx), 1.0, 3.0);
    if (std::abs(scale - m_screenScale) > 1e-3) {
        m_screenScale = scale;
        applyZoom();
    }
}

void PresentationWindow::setAxesLocked(bool locked)
{
    m_axesLocked = locked;
    if (m_view)
        m_view->setAxesLocked(locked);
}

void PresentationWindow::setDeck(const Deck &deck)
{
    m_deck = deck;
    if (m_step >= 0) {
        m_step = -1;
        m_caption->clear();
        m_caption->setVisible(false);
        bindScenario();
    }
}

QString PresentationWindow::goToStep(int index)
{
    if (index < 0 || index >= int(m_deck.steps.size()))
        return tr("%1: no step %2 (the deck has %3)").arg(m_deck.filePath).arg(index + 1).arg(m_deck.steps.size());
    m_player->stop();
    if (!m_deckScenario)
        m_deckScenario = std::make_unique<Scenario>();
    if (const QString error = applyDeckStep(m_deck, index, m_deckScenario.get()); !error.isEmpty())
        return error;
    const bool rebind = m_step < 0;
    m_step = index;
    m_viewId = m_deck.steps[std::size_t(index)].view;
    const QString title = m_deck.title.isEmpty() ? QString() : m_deck.title + QStringLiteral(" · ");
    m_caption->setText(QStringLiteral("%1%2 / %3<br><b>%4</b>")
                           .arg(title.toHtmlEscaped())
                           .arg(index + 1)
                           .arg(m_deck.steps.size())
                           .arg(m_deck.steps[std::size_t(index)].caption.toHtmlEscaped()));
    m_caption->setVisible(true);
    if (rebind)
        bindScenario();
    else
        setView(m_viewId);  // a fresh view: its locked frame fits the new step
    return {};
}

void PresentationWindow::nextStep()
{
    if (m_step + 1 < int(m_deck.steps.size()))
        goToStep(m_step + 1);
}

void PresentationWindow::previousStep()
{
    if (m_step > 0)
        goToStep(m_step - 1);
}

QString PresentationWindow::caption() const
{
    return m_step >= 0 ? m_deck.steps[std::size_t(m_step)].caption : QString();
}

void PresentationWindow::updatePlayButton(bool playing)
{
    m_play->setText(playing ? tr("■ Stop") : tr("▶ Play"));
}

void PresentationWindow::closeEvent(QCloseEvent *event)
{
    m_player->stop();
    event->accept();
    emit leaveRequested();
}

} // namespace mlastudio::ui
