// SPDX-License-Identifier: MIT
#include "controlpanel.h"

#include "presetregistry.h"
#include "scenario.h"
#include "schemestyle.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/report.h"
#include "mlastudio/core/units.h"

#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QCoreApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPaintEvent>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSlider>
#include <QSpinBox>
#include <QStyleOptionGroupBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace mlastudio::ui {

namespace {

QString str(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString fieldId(const core::FieldInfo &info)
{
    return str(info.id);
}

bool usesLog(const core::FieldInfo &info)
{
    return info.logScale && info.min > 0.0 && info.max > info.min;
}

bool isPrecision(const core::FieldInfo &info)
{
    return info.group == core::FieldGroup::Precision;
}

int decimalsFor(const core::FieldInfo &info)
{
    if (info.integer)
        return 0;
    if (info.min <= 0.0)
        return 1;
    return std::clamp(int(std::ceil(-std::log10(info.min))) + 1, 1, 4);
}

QString displayText(const core::FieldInfo &info, double display)
{
    return QString::fromStdString(core::formatFieldValue(info, display * info.displayScale, 6));
}

// " 1 request", " 2 requests": the unit after a count, as core::fieldUnitText writes it.
QString countSuffix(const core::FieldInfo &info, long long value)
{
    const std::string unit = core::fieldUnitText(info, double(value));
    return unit.empty() ? QString() : QLatin1Char(' ') + QString::fromStdString(unit);
}

QIcon swatch(core::Scheme scheme)
{
    QPixmap pm(14, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(schemeColor(scheme).darker(130), 1));
    p.setBrush(schemeColor(scheme));
    p.drawRoundedRect(QRectF(1.5, 1.5, 11, 11), 2, 2);
    return QIcon(pm);
}

QString hardwareTooltip(const core::HardwarePreset &h)
{
    QString tip = QStringLiteral("<b>%1</b> (%2)").arg(QString::fromStdString(h.config.name).toHtmlEscaped(),
                                                        QString::fromStdString(h.config.category).toHtmlEscaped());
    if (!h.description.empty())
        tip += QStringLiteral("<p>%1</p>").arg(QString::fromStdString(h.description).toHtmlEscaped());
    QStringList sources;
    for (const core::SourcedQuantity &q : h.quantities) {
        if (q.source.empty())
            continue;
        sources << QStringLiteral("%1: %2 %3 — %4")
                       .arg(QString::fromStdString(q.field), QString::number(q.value, 'g', 6),
                            QString::fromStdString(q.unit), QString::fromStdString(q.source))
                       .toHtmlEscaped();
        if (sources.size() >= 8)
            break;
    }
    if (!sources.isEmpty())
        tip += QStringLiteral("<p><i>Sources</i><br>%1</p>").arg(sources.join(QStringLiteral("<br>")));
    return tip;
}

QString modelTooltip(const core::ModelPreset &m)
{
    QString tip = QStringLiteral("<b>%1</b>").arg(QString::fromStdString(m.config.name).toHtmlEscaped());
    if (!m.description.empty())
        tip += QStringLiteral("<p>%1</p>").arg(QString::fromStdString(m.description).toHtmlEscaped());
    if (!m.note.empty())
        tip += QStringLiteral("<p>%1</p>").arg(QString::fromStdString(m.note).toHtmlEscaped());
    if (!m.config.source.empty())
        tip += QStringLiteral("<p><i>Source:</i> %1</p>").arg(QString::fromStdString(m.config.source).toHtmlEscaped());
    return tip;
}

} // namespace

int ControlPanel::sliderPosition(const core::FieldInfo &info, double displayValue)
{
    double t = 0.0;
    if (usesLog(info))
        t = displayValue > 0.0 ? std::log(displayValue / info.min) / std::log(info.max / info.min) : 0.0;
    else if (info.max > info.min)
        t = (displayValue - info.min) / (info.max - info.min);
    if (!std::isfinite(t))
        t = 0.0;
    return int(std::lround(std::clamp(t, 0.0, 1.0) * kSliderSteps));
}

double ControlPanel::sliderValue(const core::FieldInfo &info, int position)
{
    const double t = std::clamp(double(position) / kSliderSteps, 0.0, 1.0);
    double v = usesLog(info) ? info.min * std::pow(info.max / info.min, t) : info.min + t * (info.max - info.min);
    if (info.integer || info.step > 0.0)
        return core::snapDisplayValue(info, v);  // the field table's snapping: multiples of 64 for ranks and dims
    if (usesLog(info))
        v = std::stod(QString::number(v, 'g', 3).toStdString());  // 3 significant digits read better
    return std::clamp(v, info.min, info.max);
}

void SliderHold::watch(QSlider *slider, QObject *context)
{
    QObject::connect(slider, &QSlider::sliderPressed, context, [this, slider] {
        const bool was = isHeld();
        m_held = slider;
        if (!was && m_changed)
            m_changed(true);
    });
    QObject::connect(slider, &QSlider::sliderReleased, context, [this, slider] {
        if (m_held != slider)
            return;
        m_held = nullptr;
        if (m_changed)
            m_changed(false);
    });
}

PanelGroupBox::PanelGroupBox(const QString &title, QWidget *parent)
    : QGroupBox(title, parent)
{
}

PanelGroupBox::Look PanelGroupBox::look(QBrush *beneath) const
{
    QStyleOptionGroupBox option;
    initStyleOption(&option);
    const QWidget *parent = parentWidget();
    *beneath = parent && parent->autoFillBackground() ? parent->palette().brush(parent->backgroundRole()) : QBrush();
    return {size(), devicePixelRatioF(), logicalDpiY(), int(option.state), int(option.subControls), option.text,
            font(), qint64(option.palette.cacheKey()), int(option.palette.currentColorGroup()),
            beneath->color().rgba(), style()};
}

void PanelGroupBox::makeImage()
{
    QBrush beneath;
    const Look now = look(&beneath);
    // QGroupBox's own painting on the panel's background, at the widget's resolution. Through
    // QWidget::render, outside a paint event: a painter set up by hand draws the frame's pixmap a level
    // off here and there, and render() inside paintEvent() would end that paint's redirection.
    QImage image((size() + 2 * QSize(kImageMargin, kImageMargin)) * now.pixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDotsPerMeterX(int(std::lround(logicalDpiX() / 0.0254)));
    image.setDotsPerMeterY(int(std::lround(logicalDpiY() / 0.0254)));
    image.setDevicePixelRatio(now.pixelRatio);
    image.fill(now.background);
    const QScopedValueRollback rendering(m_rendering, true);
    render(&image, QPoint(kImageMargin, kImageMargin), QRegion(rect()), {});
    m_image = image;
    m_look = now;
}

void PanelGroupBox::paintEvent(QPaintEvent *event)
{
    if (m_rendering) {
        QGroupBox::paintEvent(event);
        return;
    }
    // What lies beneath: copied only where it is one opaque colour (the panel, auto-filled by its
    // scroll area), at whole device pixels.
    QBrush beneath;
    const Look now = look(&beneath);
    const bool opaque = beneath.style() == Qt::SolidPattern && beneath.isOpaque() && now.pixelRatio == std::round(now.pixelRatio);
    m_fromImage = opaque && now == m_look && !m_image.isNull();
    if (!opaque) {
        if (testAttribute(Qt::WA_OpaquePaintEvent)) {
            setAttribute(Qt::WA_OpaquePaintEvent, false);
            update();  // the parent did not paint beneath this time: again, with it
        }
        QGroupBox::paintEvent(event);
        return;
    }
    if (!testAttribute(Qt::WA_OpaquePaintEvent))
        setAttribute(Qt::WA_OpaquePaintEvent);  // from the next paint on, Qt leaves the parent alone
    if (m_fromImage) {
        QPainter painter(this);
        painter.drawImage(QPoint(-kImageMargin, -kImageMargin), m_image);
        return;
    }
    // New size, title, palette or state: what the panel and QGroupBox draw, and the image for next time.
    {
        QPainter painter(this);
        painter.fillRect(event->rect(), beneath.color());
    }
    QGroupBox::paintEvent(event);
    if (!m_imagePending) {
        m_imagePending = true;
        QTimer::singleShot(0, this, [this] {
            m_imagePending = false;
            makeImage();
        });
    }
}

ControlPanel::ControlPanel(Scenario *scenario, QWidget *parent)
    : QWidget(parent)
    , m_scenario(scenario)
{
    setObjectName(QStringLiteral("controlPanel"));
    m_hold.setHandler([this](bool held) { Q_EMIT sliderHeldChanged(held); });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(8);
    layout->addWidget(buildPresetBox());
    layout->addWidget(buildSchemeBox());
    layout->addWidget(buildFieldGroup(core::FieldGroup::Workload, tr("Workload")));
    layout->addWidget(buildFieldGroup(core::FieldGroup::Hardware, tr("Hardware")));
    layout->addWidget(buildFieldGroup(core::FieldGroup::Precision, tr("Precision")));
    layout->addWidget(buildFieldGroup(core::FieldGroup::Model, tr("Model")));
    layout->addWidget(buildFieldGroup(core::FieldGroup::Energy, tr("Energy")));
    layout->addWidget(buildFieldGroup(core::FieldGroup::Kernel, tr("Kernel efficiency (realistic model)")));
    layout->addWidget(buildFieldGroup(core::FieldGroup::Parallelism, tr("Parallelism")));

    auto *resetAll = new QPushButton(tr("Reset all to preset"), this);
    resetAll->setObjectName(QStringLiteral("button_reset_all"));
    resetAll->setToolTip(tr("Sets every number back to the chosen presets (phase and derates are kept)"));
    connect(resetAll, &QPushButton::clicked, m_scenario, &Scenario::resetAllFields);
    layout->addWidget(resetAll);
    layout->addStretch(1);

    connect(m_scenario, &Scenario::parametersChanged, this, &ControlPanel::refresh);
    connect(m_scenario, &Scenario::presentationChanged, this, &ControlPanel::refreshSchemes);
    for (QWidget *w : findChildren<QSlider *>())
        guardWheel(w);
    for (QWidget *w : findChildren<QAbstractSpinBox *>())
        guardWheel(w);
    for (QWidget *w : findChildren<QComboBox *>())
        guardWheel(w);
    refresh();
}

void ControlPanel::guardWheel(QWidget *w)
{
    // Strong (not wheel) focus: turning the wheel over a control must not focus it and change it.
    w->setFocusPolicy(Qt::StrongFocus);
    w->installEventFilter(this);
}

bool ControlPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel) {
        auto *w = qobject_cast<QWidget *>(watched);
        if (w && !w->hasFocus()) {
            // Not meant for this control: scroll the panel. Forwarded by hand, as QApplication passes
            // only spontaneous wheel events up to the parents.
            for (QWidget *p = parentWidget(); p; p = p->parentWidget())
                if (auto *area = qobject_cast<QAbstractScrollArea *>(p)) {
                    QCoreApplication::sendEvent(area->viewport(), event);
                    return true;
                }
            event->ignore();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

ControlPanel::~ControlPanel() = default;

QSize ControlPanel::sizeHint() const
{
    return {340, QWidget::sizeHint().height()};
}

QWidget *ControlPanel::buildPresetBox()
{
    auto *box = new PanelGroupBox(tr("Presets"), this);
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    const PresetRegistry &reg = Scenario::presetRegistry();
    m_modelCombo = new QComboBox(box);
    m_modelCombo->setObjectName(QStringLiteral("combo_model"));
    for (const core::ModelPreset &m : reg.models()) {
        m_modelCombo->addItem(QString::fromStdString(m.config.name), QString::fromStdString(m.config.id));
        m_modelCombo->setItemData(m_modelCombo->count() - 1, modelTooltip(m), Qt::ToolTipRole);
    }
    m_hardwareCombo = new QComboBox(box);
    m_hardwareCombo->setObjectName(QStringLiteral("combo_hardware"));
    for (const core::HardwarePreset &h : reg.hardware()) {
        m_hardwareCombo->addItem(QString::fromStdString(h.config.name), QString::fromStdString(h.config.id));
        m_hardwareCombo->setItemData(m_hardwareCombo->count() - 1, hardwareTooltip(h), Qt::ToolTipRole);
    }
    for (QComboBox *c : {m_modelCombo, m_hardwareCombo}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(12);
    }
    m_phaseCombo = new QComboBox(box);
    m_phaseCombo->setObjectName(QStringLiteral("combo_phase"));
    m_phaseCombo->addItem(tr("Decode (one new token per request)"), int(core::Phase::Decode));
    m_phaseCombo->addItem(tr("Prefill (whole prompt)"), int(core::Phase::Prefill));
    m_phaseCombo->setToolTip(tr("Decode processes S new tokens per request against a cache of L tokens; "
                                "prefill processes all L tokens of the prompt (S is ignored)."));
    m_derates = new QCheckBox(tr("Realistic kernels (efficiencies, MMA tiles, latency floor)"), box);
    m_derates->setObjectName(QStringLiteral("check_derates"));
    m_derates->setToolTip(tr("Off: the ideal roofline on datasheet peaks (for teaching). On: the measured "
                             "achievable fractions of compute and bandwidth of GEMMs and of the attention "
                             "kernel, tensor-core tile padding of the query rows, imperfect overlap of math "
                             "and memory near the ridge, and a per-kernel latency floor, from the hardware "
                             "preset (docs/model.md §6)."));

    form->addRow(tr("Model"), m_modelCombo);
    form->addRow(tr("Hardware"), m_hardwareCombo);
    form->addRow(tr("Phase"), m_phaseCombo);
    form->addRow(m_derates);

    // What a step costs: the attention layers only, or the whole model (docs/model.md §13).
    m_scopeCombo = new QComboBox(box);
    m_scopeCombo->setObjectName(QStringLiteral("combo_scope"));
    m_scopeCombo->addItem(tr("Attention only"), int(core::Scope::Step));
    m_scopeCombo->addItem(tr("Whole model (FFN, MoE experts, embedding, LM head)"), int(core::Scope::Model));
    m_scopeCombo->setToolTip(tr("Attention only: the attention operators of all layers, as MLA changes them. "
                                "Whole model: also the dense FFN, the MoE router, shared and routed experts "
                                "(the weights of the experts the tokens touch, uniform routing), the embedding "
                                "and the LM head, so that the explain view can show attention's share of the step."));
    form->addRow(tr("Cost"), m_scopeCombo);
    connect(m_scopeCombo, &QComboBox::activated, this, [this](int index) {
        m_scenario->setScope(core::Scope(m_scopeCombo->itemData(index).toInt()));
    });

    connect(m_modelCombo, &QComboBox::activated, this, [this](int index) {
        m_scenario->setModelPreset(m_modelCombo->itemData(index).toString());
    });
    connect(m_hardwareCombo, &QComboBox::activated, this, [this](int index) {
        m_scenario->setHardwarePreset(m_hardwareCombo->itemData(index).toString());
    });
    connect(m_phaseCombo, &QComboBox::activated, this, [this](int index) {
        m_scenario->setPhase(core::Phase(m_phaseCombo->itemData(index).toInt()));
    });
    connect(m_derates, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_updating)
            m_scenario->setApplyDerates(on);
    });
    return box;
}

QWidget *ControlPanel::buildSchemeBox()
{
    auto *box = new PanelGroupBox(tr("Schemes"), this);
    auto *grid = new QGridLayout(box);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(2);
    int i = 0;
    for (core::Scheme scheme : core::kAllSchemes) {
        auto *check = new QCheckBox(schemeName(scheme), box);
        check->setObjectName(QStringLiteral("check_") + schemeIdString(scheme));
        check->setIcon(swatch(scheme));
        connect(check, &QCheckBox::toggled, this, [this, scheme](bool on) {
            if (!m_updating)
                m_scenario->setSchemeVisible(scheme, on);
        });
        grid->addWidget(check, i / 2, i % 2);
        m_schemeChecks[std::size_t(scheme)] = check;
        ++i;
    }
    return box;
}

QWidget *ControlPanel::buildFieldGroup(core::FieldGroup group, const QString &title)
{
    auto *box = new PanelGroupBox(title, this);
    auto *grid = new QGridLayout(box);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(2);
    grid->setColumnStretch(0, 1);
    int row = 0;
    for (const core::FieldInfo &info : core::allFields()) {
        if (info.group != group)
            continue;
        addFieldRow(grid, row, info);
        row += isPrecision(info) ? 1 : 2;
    }
    return box;
}

void ControlPanel::addFieldRow(QGridLayout *grid, int row, const core::FieldInfo &info)
{
    QWidget *parent = grid->parentWidget();
    FieldRow &r = m_rows[std::size_t(info.field)];
    const QString id = fieldId(info);
    const core::Field field = info.field;

    r.label = new QLabel(str(info.label), parent);
    r.label->setObjectName(QStringLiteral("label_") + id);
    QString tip = QStringLiteral("<b>%1</b>").arg(str(info.label).toHtmlEscaped());
    if (!info.symbol.empty())
        tip += QStringLiteral(" (<i>%1</i>)").arg(str(info.symbol).toHtmlEscaped());
    tip += QStringLiteral("<br>%1 to %2%3").arg(displayText(info, info.min), displayText(info, info.max),
                                                usesLog(info) ? tr(", logarithmic slider") : QString());
    r.label->setToolTip(tip);

    r.reset = new QToolButton(parent);
    r.reset->setObjectName(QStringLiteral("reset_") + id);
    r.reset->setText(tr("reset"));
    r.reset->setAutoRaise(true);
    r.reset->setCursor(Qt::PointingHandCursor);
    QSizePolicy keep = r.reset->sizePolicy();
    keep.setRetainSizeWhenHidden(true);  // the row must not jump when the button appears
    r.reset->setSizePolicy(keep);
    r.reset->setVisible(false);
    connect(r.reset, &QToolButton::clicked, this, [this, field] { m_scenario->resetField(field); });

    if (isPrecision(info)) {
        r.combo = new QComboBox(parent);
        r.combo->setObjectName(QStringLiteral("combo_") + id);
        for (int bits : {16, 8, 4})
            r.combo->addItem(tr("%1-bit").arg(bits), bits);
        r.combo->setToolTip(tip);
        connect(r.combo, &QComboBox::activated, this, [this, field, combo = r.combo](int index) {
            if (!m_updating)
                m_scenario->setField(field, combo->itemData(index).toDouble());
            m_scenario->endMerge();
        });
        grid->addWidget(r.label, row, 0);
        grid->addWidget(r.combo, row, 1);
        grid->addWidget(r.reset, row, 2);
        return;
    }

    r.slider = new QSlider(Qt::Horizontal, parent);
    r.slider->setObjectName(QStringLiteral("slider_") + id);
    r.slider->setRange(0, kSliderSteps);
    r.slider->setPageStep(kSliderSteps / 20);
    r.slider->setToolTip(tip);
    connect(r.slider, &QSlider::valueChanged, this, [this, info](int position) {
        if (!m_updating)
            setFromUi(info.field, sliderValue(info, position));
    });
    connect(r.slider, &QSlider::sliderReleased, m_scenario, &Scenario::endMerge);
    m_hold.watch(r.slider, this);

    const QString suffix = info.unit.empty() ? QString() : QLatin1Char(' ') + str(info.unit);
    if (info.integer) {
        auto *spin = new QSpinBox(parent);
        spin->setRange(int(info.min), int(info.max));
        spin->setSuffix(suffix);
        if (info.step > 0.0)
            spin->setSingleStep(int(info.step));  // arrows step as the slider snaps; typed values stay exact
        else
            spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
        connect(spin, &QSpinBox::valueChanged, this, [this, field](int v) {
            if (!m_updating)
                setFromUi(field, v);
        });
        connect(spin, &QSpinBox::editingFinished, m_scenario, &Scenario::endMerge);
        r.spin = spin;
    } else {
        auto *spin = new QDoubleSpinBox(parent);
        spin->setDecimals(decimalsFor(info));
        spin->setRange(info.min, info.max);
        spin->setSuffix(suffix);
        spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, field](double v) {
            if (!m_updating)
                setFromUi(field, v);
        });
        connect(spin, &QDoubleSpinBox::editingFinished, m_scenario, &Scenario::endMerge);
        r.spin = spin;
    }
    r.spin->setObjectName(QStringLiteral("spin_") + id);
    r.spin->setKeyboardTracking(false);  // typing "3350" must not apply 3, 33 and 335 on the way
    r.spin->setAlignment(Qt::AlignRight);
    r.spin->setMinimumWidth(120);
    r.spin->setToolTip(tip);

    grid->addWidget(r.label, row, 0);
    grid->addWidget(r.spin, row, 1);
    grid->addWidget(r.reset, row, 2);
    grid->addWidget(r.slider, row + 1, 0, 1, 3);
}

void ControlPanel::setFromUi(core::Field field, double displayValue)
{
    m_scenario->setField(field, displayValue * core::fieldInfo(field).displayScale);
}

void ControlPanel::refresh()
{
    const QScopedValueRollback guard(m_updating, true);
    const core::Parameters &p = m_scenario->parameters();
    const core::Parameters &preset = m_scenario->presetParameters();

    m_modelCombo->setCurrentIndex(m_modelCombo->findData(m_scenario->modelPresetId()));
    m_hardwareCombo->setCurrentIndex(m_hardwareCombo->findData(m_scenario->hardwarePresetId()));
    m_phaseCombo->setCurrentIndex(m_phaseCombo->findData(int(p.workload.phase)));
    m_derates->setChecked(p.applyDerates);
    m_scopeCombo->setCurrentIndex(m_scopeCombo->findData(int(p.scope)));

    for (const core::FieldInfo &info : core::allFields()) {
        FieldRow &r = m_rows[std::size_t(info.field)];
        const double display = core::fieldValue(p, info.field) / info.displayScale;
        if (r.combo) {
            r.combo->setCurrentIndex(r.combo->findData(int(std::lround(display))));
        }
        if (r.spin) {
            // setValue() repaints the box even when the value stays: only the changed ones are set.
            if (auto *d = qobject_cast<QDoubleSpinBox *>(r.spin)) {
                // Its rounding (through a string) only when the value or the box changed since the last look.
                if (display != r.checkedDisplay || d->value() != r.checkedSpin) {
                    if (d->value() != QString::number(display, 'f', d->decimals()).toDouble())
                        d->setValue(display);
                    r.checkedDisplay = display;
                    r.checkedSpin = d->value();
                }
            } else if (auto *i = qobject_cast<QSpinBox *>(r.spin)) {
                if (i->value() != int(std::lround(display)))
                    i->setValue(int(std::lround(display)));
                // setSuffix() always asks the panel's layout again (a pass over every row, in the
                // middle of each slider move); the suffix changes only between one and many.
                const QString suffix = countSuffix(info, std::llround(display));
                if (i->suffix() != suffix)
                    i->setSuffix(suffix);
            }
        }
        // Leave a slider under the user's mouse alone; only follow changes made elsewhere.
        if (r.slider && !r.slider->isSliderDown()) {
            const int position = sliderPosition(info, display);
            if (sliderValue(info, r.slider->value()) != display)
                r.slider->setValue(position);
        }
        const bool differs = m_scenario->fieldDiffersFromPreset(info.field);
        if (!r.label->testAttribute(Qt::WA_SetFont) || r.label->font().bold() != differs) {
            QFont font = r.label->font();
            font.setBold(differs);
            r.label->setFont(font);
        }
        r.reset->setVisible(differs);
        if (differs)
            r.reset->setToolTip(tr("Reset to the preset value, %1")
                                    .arg(displayText(info, core::fieldValue(preset, info.field) / info.displayScale)));
    }
    refreshQueryLength();
    refreshSchemes();
}

void ControlPanel::refreshQueryLength()
{
    // Prefill processes the whole prompt: the model uses S = L, whatever S says.
    const core::Parameters &p = m_scenario->parameters();
    const core::FieldInfo &info = core::fieldInfo(core::Field::QueryLength);
    const FieldRow &r = m_rows[std::size_t(core::Field::QueryLength)];
    auto *spin = qobject_cast<QSpinBox *>(r.spin);
    if (!spin)
        return;
    const bool prefill = p.workload.phase == core::Phase::Prefill;
    r.slider->setEnabled(!prefill);
    spin->setEnabled(!prefill);
    if (prefill) {
        // The special text shows only at the minimum: pin the range there while the field is unused.
        spin->setSpecialValueText(tr("S = L = %1").arg(p.workload.kvLength));
        spin->setRange(int(info.min), int(info.min));
    } else if (!spin->specialValueText().isEmpty()) {
        spin->setSpecialValueText(QString());
        spin->setRange(int(info.min), int(info.max));
        spin->setValue(int(std::lround(core::fieldValue(p, info.field) / info.displayScale)));
    }
}

void ControlPanel::refreshSchemes()
{
    const QScopedValueRollback guard(m_updating, true);
    const core::Parameters &p = m_scenario->parameters();
    for (core::Scheme scheme : core::kAllSchemes) {
        QCheckBox *check = m_schemeChecks[std::size_t(scheme)];
        check->setChecked(m_scenario->isSchemeVisible(scheme));
        const std::vector<core::ValidationIssue> issues = core::validateScheme(p, scheme);
        check->setEnabled(issues.empty());
        check->setToolTip(issues.empty() ? tr("Show %1 in the views").arg(schemeName(scheme))
                                         : tr("Not applicable to this model: %1")
                                               .arg(QString::fromStdString(issues.front().message)));
    }
}

} // namespace mlastudio::ui
