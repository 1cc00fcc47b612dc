// SPDX-License-Identifier: MIT
#include "exportdialog.h"

#include "views/figuretheme.h"
#include "views/plotview.h"

#include <qcustomplot.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QMessageBox>
#include <QMimeData>
#include <QPixmap>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace mlastudio::ui {

namespace {

const QString kDirKey = QStringLiteral("export/dir");
const QString kFormatKey = QStringLiteral("export/format");
const QString kSizeKey = QStringLiteral("export/size");
const QString kDpiKey = QStringLiteral("export/dpi");
const QString kThemeKey = QStringLiteral("export/theme");

const QString kInches = QStringLiteral("in");
const QString kPixels = QStringLiteral("px");

// Previews larger than this are rendered at a lower resolution (same layout, fewer pixels).
constexpr qint64 kMaxPreviewPixels = 24'000'000;
constexpr int kPreviewDelayMs = 120;

bool isFigureFormat(const QString &format)
{
    return format == QLatin1String("pdf") || format == QLatin1String("svg") || format == QLatin1String("png");
}

QString formatFilter(const QString &format)
{
    if (format == QLatin1String("pdf"))
        return ExportDialog::tr("PDF documents (*.pdf)");
    if (format == QLatin1String("svg"))
        return ExportDialog::tr("SVG images (*.svg)");
    if (format == QLatin1String("png"))
        return ExportDialog::tr("PNG images (*.png)");
    if (format == QLatin1String("csv"))
        return ExportDialog::tr("CSV files (*.csv)");
    return ExportDialog::tr("JSON files (*.json)");
}

// The figure with fewer pixels when a full-resolution preview would take too much memory.
ExportOptions previewOptions(ExportOptions o)
{
    const QSize px = o.resolvedSizePixels();
    const double pixels = double(px.width()) * double(px.height());
    if (pixels <= double(kMaxPreviewPixels))
        return o;
    const QSizeF inches = o.resolvedSizeInches();
    o.sizePreset = QStringLiteral("custom");
    o.sizePixels = QSize();
    o.sizeInches = inches;
    o.dpi = std::max(10.0, o.dpi * std::sqrt(double(kMaxPreviewPixels) / pixels));
    return o;
}

} // namespace

// ---- ExportDialog --------------------------------------------------------------------------

ExportDialog::ExportDialog(const QList<PlotView *> &views, PlotView *current, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export Figure"));
    for (PlotView *view : views)
        m_views << view;
    m_warn = [this](const QString &title, const QString &text) { QMessageBox::warning(this, title, text); };

    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(kPreviewDelayMs);
    connect(m_previewTimer, &QTimer::timeout, this, &ExportDialog::updatePreview);

    buildUi();
    m_updating = true;
    if (current)
        setCurrentView(current->viewId());
    restoreSettings();
    m_updating = false;
    updateControls();
    updatePreview();
}

ExportDialog::~ExportDialog() = default;

void ExportDialog::buildUi()
{
    m_viewCombo = new QComboBox;
    m_viewCombo->setObjectName(QStringLiteral("viewCombo"));
    for (const QPointer<PlotView> &view : std::as_const(m_views))
        m_viewCombo->addItem(view->title(), view->viewId());

    m_formatCombo = new QComboBox;
    m_formatCombo->setObjectName(QStringLiteral("formatCombo"));
    m_formatCombo->addItem(tr("PDF (vector)"), QStringLiteral("pdf"));
    m_formatCombo->addItem(tr("SVG (vector)"), QStringLiteral("svg"));
    m_formatCombo->addItem(tr("PNG (image)"), QStringLiteral("png"));
    m_formatCombo->addItem(tr("Data (CSV)"), QStringLiteral("csv"));
    m_formatCombo->addItem(tr("Data (JSON)"), QStringLiteral("json"));

    m_sizeCombo = new QComboBox;
    m_sizeCombo->setObjectName(QStringLiteral("sizeCombo"));
    m_sizeCombo->addItem(tr("Single column (3.5 in)"), QStringLiteral("single-column"));
    m_sizeCombo->addItem(tr("Double column (7.16 in)"), QStringLiteral("double-column"));
    m_sizeCombo->addItem(tr("Slide 16:9 (13.33 in)"), QStringLiteral("slide"));
    m_sizeCombo->addItem(tr("Custom"), QStringLiteral("custom"));

    auto spin = [](const QString &name) {
        auto *s = new QDoubleSpinBox;
        s->setObjectName(name);
        s->setKeyboardTracking(false);
        s->setDecimals(2);
        s->setRange(0.5, 99.0);
        return s;
    };
    m_width = spin(QStringLiteral("widthSpin"));
    m_height = spin(QStringLiteral("heightSpin"));
    m_width->setValue(7.0);
    m_height->setValue(4.0);
    m_unitCombo = new QComboBox;
    m_unitCombo->setObjectName(QStringLiteral("unitCombo"));
    m_unitCombo->addItem(tr("in"), kInches);
    m_unitCombo->addItem(tr("px"), kPixels);
    m_lastUnit = kInches;
    auto *sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_width, 1);
    sizeRow->addWidget(new QLabel(QStringLiteral("×")));
    sizeRow->addWidget(m_height, 1);
    sizeRow->addWidget(m_unitCombo);

    m_dpi = new QSpinBox;
    m_dpi->setObjectName(QStringLiteral("dpiSpin"));
    m_dpi->setKeyboardTracking(false);
    m_dpi->setRange(10, 2400);
    m_dpi->setSingleStep(50);
    m_dpi->setSuffix(tr(" dpi"));
    m_dpi->setValue(300);

    m_themeCombo = new QComboBox;
    m_themeCombo->setObjectName(QStringLiteral("themeCombo"));
    m_themeCombo->addItem(tr("Paper"), int(ThemeId::Paper));
    m_themeCombo->addItem(tr("Slides"), int(ThemeId::Slides));
    m_themeCombo->addItem(tr("Light"), int(ThemeId::Light));
    m_themeCombo->addItem(tr("Dark"), int(ThemeId::Dark));

    auto *form = new QFormLayout;
    form->addRow(tr("&View:"), m_viewCombo);
    form->addRow(tr("&Format:"), m_formatCombo);
    form->addRow(tr("&Size:"), m_sizeCombo);
    form->addRow(tr("Width × height:"), sizeRow);
    form->addRow(tr("&Resolution:"), m_dpi);
    form->addRow(tr("&Theme:"), m_themeCombo);

    m_previewLabel = new QLabel;
    m_previewLabel->setObjectName(QStringLiteral("preview"));
    m_previewLabel->setAlignment(Qt::AlignCenter);
    m_previewLabel->setMinimumSize(440, 300);
    m_previewLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_previewLabel->setFrameShape(QFrame::StyledPanel);
    m_previewLabel->setBackgroundRole(QPalette::Dark);
    m_previewLabel->setAutoFillBackground(true);
    m_previewLabel->installEventFilter(this);
    m_sizeLabel = new QLabel;
    m_sizeLabel->setObjectName(QStringLiteral("sizeLabel"));
    m_sizeLabel->setAlignment(Qt::AlignCenter);
    m_sizeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *previewColumn = new QVBoxLayout;
    previewColumn->addWidget(m_previewLabel, 1);
    previewColumn->addWidget(m_sizeLabel);

    auto *formColumn = new QVBoxLayout;
    formColumn->addLayout(form);
    formColumn->addStretch(1);

    auto *body = new QHBoxLayout;
    body->addLayout(formColumn);
    body->addLayout(previewColumn, 1);

    auto *buttons = new QDialogButtonBox;
    m_copyButton = buttons->addButton(tr("&Copy to Clipboard"), QDialogButtonBox::ActionRole);
    m_copyButton->setObjectName(QStringLiteral("copyButton"));
    m_exportButton = buttons->addButton(tr("&Export…"), QDialogButtonBox::AcceptRole);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setDefault(true);
    buttons->addButton(QDialogButtonBox::Close);
    // Export asks for a path first; only a successful export closes the dialog.
    connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::exportDialog);
    connect(m_copyButton, &QPushButton::clicked, this, &ExportDialog::copyClicked);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(body, 1);
    layout->addWidget(buttons);

    auto changed = [this] {
        if (m_updating)
            return;
        updateControls();
        schedulePreview();
    };
    connect(m_viewCombo, &QComboBox::currentIndexChanged, this, changed);
    connect(m_formatCombo, &QComboBox::currentIndexChanged, this, changed);
    connect(m_sizeCombo, &QComboBox::currentIndexChanged, this, changed);
    connect(m_themeCombo, &QComboBox::currentIndexChanged, this, changed);
    connect(m_width, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_height, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_dpi, &QSpinBox::valueChanged, this, changed);
    connect(m_unitCombo, &QComboBox::currentIndexChanged, this, &ExportDialog::unitChanged);
    resize(900, 460);
}

PlotView *ExportDialog::currentView() const
{
    const int i = m_viewCombo->currentIndex();
    return i >= 0 && i < m_views.size() ? m_views.at(i).data() : nullptr;
}

bool ExportDialog::setCurrentView(const QString &viewId)
{
    const int i = m_viewCombo->findData(viewId);
    if (i < 0)
        return false;
    m_viewCombo->setCurrentIndex(i);
    return true;
}

QString ExportDialog::format() const
{
    return m_formatCombo->currentData().toString();
}

bool ExportDialog::setFormat(const QString &format)
{
    const int i = m_formatCombo->findData(format.toLower());
    if (i < 0)
        return false;
    m_formatCombo->setCurrentIndex(i);
    return true;
}

bool ExportDialog::isDataFormat() const
{
    return !isFigureFormat(format());
}

ExportOptions ExportDialog::options() const
{
    ExportOptions o;
    o.sizePreset = m_sizeCombo->currentData().toString();
    o.dpi = m_dpi->value();
    o.theme = ThemeId(m_themeCombo->currentData().toInt());
    if (isFigureFormat(format()))
        o.format = format();
    if (o.sizePreset == QLatin1String("custom")) {
        if (m_unitCombo->currentData().toString() == kPixels)
            o.sizePixels = QSize(int(std::lround(m_width->value())), int(std::lround(m_height->value())));
        else
            o.sizeInches = QSizeF(m_width->value(), m_height->value());
    }
    return o;
}

void ExportDialog::setOptions(const ExportOptions &o)
{
    const bool wasUpdating = m_updating;
    m_updating = true;
    if (const int i = m_sizeCombo->findData(o.sizePreset); i >= 0)
        m_sizeCombo->setCurrentIndex(i);
    m_dpi->setValue(int(std::lround(o.dpi)));
    if (const int i = m_themeCombo->findData(int(o.theme)); i >= 0)
        m_themeCombo->setCurrentIndex(i);
    if (o.sizePreset == QLatin1String("custom")) {
        const bool pixels = o.sizePixels.isValid();
        m_unitCombo->setCurrentIndex(m_unitCombo->findData(pixels ? kPixels : kInches));
        m_lastUnit = pixels ? kPixels : kInches;
        updateControls();  // ranges of the unit before the values
        if (pixels) {
            m_width->setValue(o.sizePixels.width());
            m_height->setValue(o.sizePixels.height());
        } else {
            const QSizeF in = o.resolvedSizeInches();
            m_width->setValue(in.width());
            m_height->setValue(in.height());
        }
    }
    m_updating = wasUpdating;
    if (!m_updating) {
        updateControls();
        schedulePreview();
    }
}

void ExportDialog::restoreSettings()
{
    const QSettings settings;
    setOptions(savedOptions());
    const QString saved = settings.value(kFormatKey, QStringLiteral("pdf")).toString();
    if (!setFormat(saved))
        setFormat(QStringLiteral("pdf"));
}

void ExportDialog::rememberSettings() const
{
    saveOptions(options());
    QSettings().setValue(kFormatKey, format());
}

ExportOptions ExportDialog::savedOptions()
{
    const QSettings settings;
    ExportOptions o;
    o.setSizeString(settings.value(kSizeKey, o.sizePreset).toString());
    bool ok = false;
    const double dpi = settings.value(kDpiKey, o.dpi).toDouble(&ok);
    if (ok && dpi >= 10.0 && dpi <= 2400.0)
        o.dpi = dpi;
    if (const std::optional<ThemeId> theme = themeFromId(settings.value(kThemeKey).toString()))
        o.theme = *theme;
    if (!PlotExporter::validate(o).isEmpty())
        return ExportOptions();
    return o;
}

void ExportDialog::saveOptions(const ExportOptions &o)
{
    QSettings settings;
    settings.setValue(kSizeKey, o.sizeString());
    settings.setValue(kDpiKey, o.dpi);
    settings.setValue(kThemeKey, themeId(o.theme));
}

void ExportDialog::updateControls()
{
    const bool wasUpdating = m_updating;
    m_updating = true;
    const bool figure = !isDataFormat();
    const bool custom = m_sizeCombo->currentData().toString() == QLatin1String("custom");
    const bool pixels = m_unitCombo->currentData().toString() == kPixels;
    m_sizeCombo->setEnabled(figure);
    m_themeCombo->setEnabled(figure);
    m_width->setEnabled(figure && custom);
    m_height->setEnabled(figure && custom);
    m_unitCombo->setEnabled(figure);
    // The resolution sets a PNG's pixels, and converts custom pixel sizes to inches for vectors.
    m_dpi->setEnabled(figure && (format() == QLatin1String("png") || (custom && pixels)));
    for (QDoubleSpinBox *s : {m_width, m_height}) {
        s->setDecimals(pixels ? 0 : 2);
        s->setRange(pixels ? 20.0 : 0.5, pixels ? 20000.0 : 99.0);
        s->setSingleStep(pixels ? 10.0 : 0.1);
    }
    if (!custom) {
        // Show what the preset means, in the chosen unit.
        ExportOptions o = options();
        if (pixels) {
            m_width->setValue(o.resolvedSizePixels().width());
            m_height->setValue(o.resolvedSizePixels().height());
        } else {
            m_width->setValue(o.resolvedSizeInches().width());
            m_height->setValue(o.resolvedSizeInches().height());
        }
    }
    setWindowTitle(figure ? tr("Export Figure") : tr("Export Data"));
    m_copyButton->setEnabled(currentView() != nullptr);
    m_exportButton->setEnabled(currentView() != nullptr);
    m_updating = wasUpdating;
}

void ExportDialog::unitChanged()
{
    const QString unit = m_unitCombo->currentData().toString();
    if (unit == m_lastUnit)
        return;
    // Keep the physical size: convert the custom values at the current resolution.
    const double factor = unit == kPixels ? double(m_dpi->value()) : 1.0 / m_dpi->value();
    const double w = m_width->value() * factor;
    const double h = m_height->value() * factor;
    m_lastUnit = unit;
    const bool wasUpdating = m_updating;
    m_updating = true;
    updateControls();
    if (m_sizeCombo->currentData().toString() == QLatin1String("custom")) {
        m_width->setValue(w);
        m_height->setValue(h);
    }
    m_updating = wasUpdating;
    updateControls();
    schedulePreview();
}

void ExportDialog::schedulePreview()
{
    m_previewTimer->start();
}

void ExportDialog::updatePreview()
{
    m_previewTimer->stop();
    PlotView *view = currentView();
    const ExportOptions o = options();
    const QString invalid = PlotExporter::validate(o, isDataFormat() ? QString() : format());
    m_preview = view && invalid.isEmpty() ? PlotExporter::renderImage(view, previewOptions(o)) : QImage();
    showScaledPreview();
    m_sizeLabel->setText(invalid.isEmpty() ? sizeText() : invalid);
}

QString ExportDialog::sizeText() const
{
    PlotView *view = currentView();
    if (isDataFormat()) {
        const qsizetype rows = view ? std::max<qsizetype>(0, view->csvRows().size() - 1) : 0;
        return tr("The data behind the figure: %n row(s), with the scenario", nullptr, int(rows));
    }
    const ExportOptions o = options();
    const QSizeF in = o.resolvedSizeInches();
    const QString inches = tr("%1 × %2 in").arg(in.width(), 0, 'f', 2).arg(in.height(), 0, 'f', 2);
    if (format() != QLatin1String("png"))
        return tr("%1 · vector").arg(inches);
    const QSize px = o.resolvedSizePixels();
    QString text = tr("%1 × %2 px · %3 · %4 dpi").arg(px.width()).arg(px.height()).arg(inches).arg(o.dpi);
    if (!m_preview.isNull() && m_preview.size() != px)
        text += tr(" (preview at lower resolution)");
    return text;
}

void ExportDialog::showScaledPreview()
{
    if (m_preview.isNull()) {
        m_previewLabel->setPixmap(QPixmap());
        m_previewLabel->setText(currentView() ? tr("No preview") : tr("No view to export"));
        return;
    }
    const QSize room = m_previewLabel->contentsRect().size() - QSize(8, 8);
    const qreal dpr = m_previewLabel->devicePixelRatioF();
    QPixmap pixmap = QPixmap::fromImage(
        m_preview.scaled(room * dpr, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    pixmap.setDevicePixelRatio(dpr);
    m_previewLabel->setPixmap(pixmap);
}

bool ExportDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_previewLabel && event->type() == QEvent::Resize)
        showScaledPreview();
    return QDialog::eventFilter(watched, event);
}

QString ExportDialog::targetPath(const QString &path) const
{
    const QString suffix = format();
    if (QFileInfo(path).suffix().compare(suffix, Qt::CaseInsensitive) == 0)
        return path;
    return path + QLatin1Char('.') + suffix;
}

QString ExportDialog::exportTo(const QString &path)
{
    PlotView *view = currentView();
    if (!view)
        return tr("No view to export");
    const QString target = targetPath(path);
    const QString error = isDataFormat() ? PlotExporter::exportData(view, target)
                                         : PlotExporter::exportPlot(view, target, options());
    if (!error.isEmpty())
        return error;
    rememberSettings();
    QSettings().setValue(kDirKey, QFileInfo(target).absolutePath());
    return {};
}

void ExportDialog::exportDialog()
{
    PlotView *view = currentView();
    if (!view)
        return;
    QString dir = QSettings().value(kDirKey).toString();
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        dir = QDir::homePath();
    // Refused sizes (e.g. a PNG over the pixel limit) are reported before asking for a file name.
    if (!isDataFormat()) {
        if (const QString invalid = PlotExporter::validate(options(), format()); !invalid.isEmpty()) {
            warn(tr("Export failed"), invalid);
            return;
        }
    }
    const QString suggested = QDir(dir).filePath(view->viewId() + QLatin1Char('.') + format());
    const QString path = QFileDialog::getSaveFileName(this, isDataFormat() ? tr("Export Data") : tr("Export Figure"),
                                                      suggested, formatFilter(format()));
    if (path.isEmpty())
        return;
    if (const QString error = exportTo(path); !error.isEmpty()) {
        warn(tr("Export failed"), error);  // the dialog stays open with every choice
        return;
    }
    accept();
}

QString ExportDialog::copyToClipboard()
{
    const QString error = copyFigure(currentView(), options());
    if (error.isEmpty())
        rememberSettings();
    return error;
}

void ExportDialog::copyClicked()
{
    if (const QString error = copyToClipboard(); !error.isEmpty())
        warn(tr("Copy failed"), error);
}

QString ExportDialog::copyFigure(PlotView *view, const ExportOptions &options)
{
    if (!view)
        return tr("No view to copy");
    ExportOptions o = options;
    o.format = QStringLiteral("png");
    const QImage image = PlotExporter::renderImage(view, o);
    if (image.isNull()) {
        const QString invalid = PlotExporter::validate(o, o.format);
        return invalid.isEmpty() ? tr("Cannot render a %1 × %2 pixel image").arg(o.resolvedSizePixels().width()).arg(o.resolvedSizePixels().height())
                                 : invalid;
    }
    auto *mime = new QMimeData;
    mime->setImageData(image);
    // Vector applications paste the SVG, rendered in memory as an export renders it.
    o.format = QStringLiteral("svg");
    if (const QByteArray svg = PlotExporter::renderPlot(view, o, o.format, nullptr); !svg.isEmpty())
        mime->setData(QStringLiteral("image/svg+xml"), svg);
    QGuiApplication::clipboard()->setMimeData(mime);
    return {};
}

void ExportDialog::done(int result)
{
    rememberSettings();
    QDialog::done(result);
}

void ExportDialog::warn(const QString &title, const QString &text)
{
    if (m_warn)
        m_warn(title, text);
}

// ---- ActiveViewTracker ---------------------------------------------------------------------

ActiveViewTracker::ActiveViewTracker(QMainWindow *window, const QList<QDockWidget *> &docks, const QList<PlotView *> &views)
    : QObject(window)
    , m_window(window)
    , m_docks(docks)
    , m_views(views)
{
    m_active = m_views.value(0);
    m_window->installEventFilter(this);
    for (QDockWidget *dock : docks) {
        PlotView *view = viewOf(dock);
        if (!view)
            continue;
        dock->installEventFilter(this);
        view->installEventFilter(this);
        view->plot()->installEventFilter(this);
        // A tab brought to the front counts as raised (not the docks appearing with the window).
        connect(dock, &QDockWidget::visibilityChanged, this, [this, view](bool visible) {
            if (visible && m_trackRaise)
                setActiveView(view);
        });
    }
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *, QWidget *now) {
        if (PlotView *view = viewOf(now))
            setActiveView(view);
    });
}

PlotView *ActiveViewTracker::viewOf(QObject *object) const
{
    for (QObject *o = object; o; o = o->parent()) {
        if (o == m_window)
            return nullptr;
        for (qsizetype i = 0; i < m_docks.size(); ++i) {
            QDockWidget *dock = m_docks.at(i);
            if (o == dock || o == dock->widget()) {
                for (PlotView *view : m_views)
                    if (view == dock->widget())
                        return view;
                return nullptr;
            }
        }
    }
    return nullptr;
}

PlotView *ActiveViewTracker::activeView() const
{
    // A closed dock is no longer the one the user works with.
    auto open = [this](PlotView *view) {
        for (QDockWidget *dock : m_docks)
            if (dock->widget() == view)
                return dock->toggleViewAction()->isChecked();
        return false;
    };
    if (m_active && open(m_active))
        return m_active;
    for (PlotView *view : m_views)
        if (open(view))
            return view;
    return m_views.value(0);
}

void ActiveViewTracker::setActiveView(PlotView *view)
{
    if (view && m_views.contains(view))
        m_active = view;
}

bool ActiveViewTracker::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::Show:
        if (watched == m_window)
            QTimer::singleShot(0, this, [this] { m_trackRaise = m_window->isVisible(); });
        break;
    case QEvent::Hide:
        if (watched == m_window)
            m_trackRaise = false;
        break;
    case QEvent::MouseButtonPress:
    case QEvent::FocusIn:
        if (PlotView *view = viewOf(watched))
            setActiveView(view);
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace mlastudio::ui
