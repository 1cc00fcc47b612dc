// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "activeviewtracker.h"
#include "controlpanel.h"
#include "deck.h"
#include "exportdialog.h"
#include "headlinelabel.h"
#include "measuredcsv.h"
#include "presentationwindow.h"
#include "presetregistry.h"
#include "scenario.h"
#include "schemestyle.h"
#include "views/explainview.h"
#include "views/plotview.h"
#include "views/viewfactory.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/inputlimits.h"
#include "mlastudio/core/report.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QPalette>
#include <QPushButton>
#include <QResizeEvent>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QShowEvent>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QTimer>
#include <QUndoStack>
#include <QUndoView>

#include <algorithm>

namespace mlastudio::ui {

namespace {

constexpr int kMaxRecentFiles = 8;
constexpr int kStateVersion = 1;  // bump when the dock layout changes incompatibly

const QString kGeometryKey = QStringLiteral("mainwindow/geometry");
const QString kStateKey = QStringLiteral("mainwindow/state");
const QString kRecentKey = QStringLiteral("files/recent");
const QString kLastScenarioKey = QStringLiteral("files/lastScenario");
const QString kLastCsvKey = QStringLiteral("files/lastMeasuredCsv");
const QString kThemeKey = QStringLiteral("ui/theme");

QPalette darkPalette()
{
    QPalette p;
    const QColor window(45, 45, 48);
    const QColor base(30, 30, 32);
    const QColor text(222, 222, 222);
    const QColor disabled(128, 128, 128);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, QColor(60, 60, 64));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(255, 90, 90));
    p.setColor(QPalette::Light, window.lighter(150));
    p.setColor(QPalette::Midlight, window.lighter(125));
    p.setColor(QPalette::Mid, window.darker(120));
    p.setColor(QPalette::Dark, window.darker(150));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(42, 130, 218));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(86, 180, 233));
    p.setColor(QPalette::LinkVisited, QColor(204, 121, 167));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    return p;
}

QString boundText(core::Bound bound)
{
    switch (bound) {
    case core::Bound::Compute: return MainWindow::tr("compute-bound");
    case core::Bound::Dram: return MainWindow::tr("memory-bound (DRAM)");
    case core::Bound::Sram: return MainWindow::tr("on-chip-bandwidth-bound");
    case core::Bound::Latency: return MainWindow::tr("latency-bound (kernel launch floor)");
    case core::Bound::Interconnect: return MainWindow::tr("interconnect-bound (all-reduce)");
    }
    return {};
}

/** Holds one status-bar label outside any layout. QLabel::setText() always calls updateGeometry(),
 *  and through a layout that re-lays out the whole main window (its docks) at every slider move;
 *  without one the holder gets a LayoutRequest, places the label again and reports a new size hint
 *  only when the label needs more room than before (Grow) or a taller line. */
class StatusField final : public QWidget
{
public:
    enum class Width { Stretch, Grow };

    StatusField(QWidget *label, Width width, QWidget *parent)
        : QWidget(parent)
        , m_label(label)
        , m_width(width)
    {
        label->setParent(this);
        setSizePolicy(width == Width::Stretch ? QSizePolicy::Ignored : QSizePolicy::Preferred, QSizePolicy::Fixed);
        fit();
    }
    QSize sizeHint() const override { return m_hint; }
    QSize minimumSizeHint() const override { return m_width == Width::Stretch ? QSize(0, m_hint.height()) : m_hint; }

protected:
    bool event(QEvent *event) override
    {
        if (event->type() == QEvent::LayoutRequest) {  // the label's text or font changed
            // The stretching summary keeps its width; only another font changes its height.
            if (m_width == Width::Stretch && m_label->font() == m_font)
                m_label->setGeometry(rect());
            else
                fit();
            return true;
        }
        return QWidget::event(event);
    }
    void showEvent(QShowEvent *event) override
    {
        QWidget::showEvent(event);
        fit();
    }
    void resizeEvent(QResizeEvent *event) override
    {
        QWidget::resizeEvent(event);
        place();
    }

private:
    void fit()
    {
        m_font = m_label->font();
        const QSize need = m_label->sizeHint();
        const QSize hint(m_width == Width::Grow ? std::max(need.width(), m_hint.width()) : 0,
                         std::max({need.height(), m_hint.height(), fontMetrics().height()}));
        if (hint != m_hint) {
            m_hint = hint;
            updateGeometry();
        }
        place();
    }
    // A stretching field sits at the right edge while its text fits, and is cut at its end (read from
    // the start) when it does not.
    void place()
    {
        const int need = m_width == Width::Stretch ? m_label->sizeHint().width() : 0;
        const int x = need > 0 && need < width() ? width() - need : 0;
        m_label->setGeometry(rect().adjusted(x, 0, 0, 0));
    }

    QWidget *m_label;
    Width m_width;
    QSize m_hint{0, 0};
    QFont m_font;  //!< the label's font when the hint was measured
};

} // namespace

MainWindow::MainWindow(Scenario *scenario, QWidget *parent)
    : QMainWindow(parent)
    , m_scenario(scenario ? scenario : new Scenario(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks
                   | QMainWindow::GroupedDragging);
    setDocumentMode(true);

    m_confirmDiscard = [this] {
        return QMessageBox::question(this, tr("Unsaved changes"),
                                     tr("The scenario has unsaved changes. Save them first?"),
                                     QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
                                     QMessageBox::Save);
    };
    m_warn = [this](const QString &title, const QString &text) { QMessageBox::warning(this, title, text); };
    m_confirmRestore = [this](const Autosave::Info &info) {
        const QString name = info.filePath.isEmpty() ? tr("Untitled") : QFileInfo(info.filePath).fileName();
        QMessageBox box(QMessageBox::Question, tr("Restore unsaved scenario"),
                        tr("MLA Studio did not shut down cleanly. Restore the unsaved scenario from %1?")
                            .arg(QLocale().toString(info.savedAt, QLocale::ShortFormat)),
                        QMessageBox::NoButton, this);
        box.setInformativeText(tr("Unsaved changes to %1. Discard deletes them.").arg(name));
        QPushButton *restore = box.addButton(tr("Restore"), QMessageBox::AcceptRole);
        box.addButton(QMessageBox::Discard);
        box.setDefaultButton(restore);
        box.exec();
        return box.clickedButton() == restore;
    };

    createViews();
    createActions();
    createMenus();

    m_headline = new HeadlineLabel(this);
    m_headline->setObjectName(QStringLiteral("headline"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    // Opaque, in the colour the status bar shows beneath them: a changed text repaints the label alone,
    // not its holder, the status bar and the window behind it as well.
    for (QWidget *label : {static_cast<QWidget *>(m_headline), static_cast<QWidget *>(m_summary)}) {
        label->setAutoFillBackground(true);
        label->setBackgroundRole(QPalette::Window);
    }
    // The headline (the answer) keeps the width it needs; the summary of the inputs gives way.
    statusBar()->addWidget(new StatusField(m_headline, StatusField::Width::Grow, this));
    statusBar()->addPermanentWidget(new StatusField(m_summary, StatusField::Width::Stretch, this), 1);

    connect(m_scenario, &Scenario::resultsChanged, this, &MainWindow::updateHeadline);
    connect(m_scenario, &Scenario::presentationChanged, this, &MainWindow::updateHeadline);
    connect(m_scenario, &Scenario::modifiedChanged, this, &MainWindow::setWindowModified);
    connect(m_scenario, &Scenario::filePathChanged, this, &MainWindow::updateTitle);

    // First run: fill most of the screen; later runs restore the saved geometry.
    QSize size(1600, 1000);
    if (const QScreen *screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableGeometry().size());
    resize(size);
    readSettings();
    updateTitle();
    updateHeadline();

    // User presets that were skipped (not a regular file, broken) or share an id: say so where the
    // user looks, and on stderr with every detail.
    if (const QStringList &warnings = Scenario::presetRegistry().errors(); !warnings.isEmpty()) {
        for (const QString &w : warnings)
            qWarning("%s", qPrintable(w));
        statusBar()->showMessage(tr("%n user preset warning(s): %1", nullptr, int(warnings.size())).arg(warnings.first()),
                                 15000);
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::createViews()
{
    m_panel = new ControlPanel(m_scenario);
    auto *scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("controlScroll"));
    scroll->setWidget(m_panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(m_panel->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width() + 4);
    m_controlsDock = new QDockWidget(tr("Controls"), this);
    m_controlsDock->setObjectName(QStringLiteral("controls"));
    m_controlsDock->setWidget(scroll);
    addDockWidget(Qt::LeftDockWidgetArea, m_controlsDock);

    auto addView = [this](QWidget *view, const QString &id, const QString &title) {
        view->setMinimumSize(240, 180);
        auto *dock = new QDockWidget(title, this);
        dock->setObjectName(id);
        dock->setWidget(view);
        m_viewDocks << dock;
        return dock;
    };
    // The same factory builds the views of headless exports, so both draw the same figure.
    auto addPlot = [&](ViewId id) {
        PlotView *view = createPlotView(id, m_scenario);
        m_plotViews << view;
        return addView(view, view->viewId(), view->title());
    };
    QDockWidget *roofline = addPlot(ViewId::Roofline);
    QDockWidget *throughput = addPlot(ViewId::Throughput);
    QDockWidget *energy = addPlot(ViewId::Energy);
    QDockWidget *schemeMap = addPlot(ViewId::SchemeMap);
    QDockWidget *memory = addPlot(ViewId::Memory);
    QDockWidget *validation = addPlot(ViewId::Validation);
    auto *explainView = new ExplainView(m_scenario);
    QDockWidget *explain = addView(explainView, explainView->viewId(), explainView->title());
    // After the explain view: closing the memory dock hands focus to the explain view, not to a plot.
    QDockWidget *platforms = addPlot(ViewId::Platforms);

    // While a slider is held the plots draw fast and the explain page waits; both catch up on release.
    connect(m_panel, &ControlPanel::sliderHeldChanged, this, [this, explainView](bool held) {
        for (PlotView *view : std::as_const(m_plotViews))
            view->setDragMode(held);
        explainView->setRefreshDeferred(held);
    });

    // Without a central widget the docks share the whole window and every one can be moved.
    // Default: roofline large top-left, sweeps tabbed top-right, memory and explain below.
    // Split first, then tabify: splitting a tabbed dock would pull it out of its group.
    addDockWidget(Qt::RightDockWidgetArea, roofline);
    splitDockWidget(roofline, throughput, Qt::Horizontal);
    splitDockWidget(roofline, memory, Qt::Vertical);
    splitDockWidget(throughput, explain, Qt::Vertical);
    tabifyDockWidget(throughput, energy);
    tabifyDockWidget(throughput, schemeMap);
    tabifyDockWidget(throughput, validation);
    tabifyDockWidget(throughput, platforms);
    throughput->raise();
    m_defaultSizes = [this, roofline, throughput, memory, explain, scroll] {
        resizeDocks({m_controlsDock, roofline, throughput}, {scroll->minimumWidth() + 10, 620, 520}, Qt::Horizontal);
        resizeDocks({roofline, memory}, {600, 280}, Qt::Vertical);
        resizeDocks({throughput, explain}, {600, 280}, Qt::Vertical);
    };

    auto *history = new QUndoView(m_scenario->undoStack());
    history->setEmptyLabel(tr("<opened scenario>"));
    m_historyDock = new QDockWidget(tr("History"), this);
    m_historyDock->setObjectName(QStringLiteral("history"));
    m_historyDock->setWidget(history);
    addDockWidget(Qt::LeftDockWidgetArea, m_historyDock);
    tabifyDockWidget(m_controlsDock, m_historyDock);
    m_controlsDock->raise();
    m_historyDock->hide();
    m_activeViews = new ActiveViewTracker(this, m_viewDocks, m_plotViews);
}

void MainWindow::createActions()
{
    m_undoAction = m_scenario->undoStack()->createUndoAction(this, tr("&Undo"));
    m_undoAction->setObjectName(QStringLiteral("action_undo"));
    m_undoAction->setShortcuts(QKeySequence::Undo);
    m_redoAction = m_scenario->undoStack()->createRedoAction(this, tr("&Redo"));
    m_redoAction->setObjectName(QStringLiteral("action_redo"));
    m_redoAction->setShortcuts(QKeySequence::Redo);
}

void MainWindow::createMenus()
{
    auto action = [this](QMenu *menu, const QString &text, const char *name, auto slot,
                         QKeySequence::StandardKey key = QKeySequence::UnknownKey) {
        QAction *a = menu->addAction(text);
        a->setObjectName(QString::fromLatin1(name));
        if (key != QKeySequence::UnknownKey)
            a->setShortcuts(key);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };

    m_fileMenu = menuBar()->addMenu(tr("&File"));
    action(m_fileMenu, tr("&New"), "action_new", &MainWindow::newFile, QKeySequence::New);
    action(m_fileMenu, tr("&Open…"), "action_open", &MainWindow::openDialog, QKeySequence::Open);
    m_recentMenu = m_fileMenu->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("menu_recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::updateRecentMenu);
    m_fileMenu->addSeparator();
    action(m_fileMenu, tr("&Save"), "action_save", [this] { save(); }, QKeySequence::Save);
    action(m_fileMenu, tr("Save &As…"), "action_save_as", [this] { saveAs(); }, QKeySequence::SaveAs);
    m_fileMenu->addSeparator();
    action(m_fileMenu, tr("&Import Measured Points (CSV)…"), "action_import_measured", &MainWindow::importMeasuredDialog);
    m_fileMenu->addSeparator();
    action(m_fileMenu, tr("&Export Figure…"), "action_export", [this] { openExportDialog(false); })
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    action(m_fileMenu, tr("Export &Data…"), "action_export_data", [this] { openExportDialog(true); });
    action(m_fileMenu, tr("&Copy Figure"), "action_copy_figure", [this] { copyFigure(); })
        ->setToolTip(tr("Copy the active view to the clipboard with the last export options"));
    QMenu *deckExport = m_fileMenu->addMenu(tr("Export &Deck as PDF"));
    deckExport->setObjectName(QStringLiteral("menu_export_deck"));
    action(deckExport, tr("MLA in Six Steps (built-in)…"), "action_export_builtin_deck",
           [this] { exportDeckDialog(QString::fromLatin1(kBuiltinDeckPath)); });
    action(deckExport, tr("Deck File…"), "action_export_deck", [this] {
        const QString deck = QFileDialog::getOpenFileName(this, tr("Export Deck"), dialogDirectory(),
                                                          tr("MLA Studio decks (*%1);;JSON files (*.json)").arg(QString::fromLatin1(kDeckSuffix)));
        if (!deck.isEmpty())
            exportDeckDialog(deck);
    });
    m_fileMenu->addSeparator();
    m_quitAction = action(m_fileMenu, tr("&Quit"), "action_quit", &MainWindow::close, QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);

    m_editMenu = menuBar()->addMenu(tr("&Edit"));
    m_editMenu->addAction(m_undoAction);
    m_editMenu->addAction(m_redoAction);
    m_editMenu->addSeparator();
    action(m_editMenu, tr("Reset &All to Preset"), "action_reset_all", [this] { m_scenario->resetAllFields(); });

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_controlsDock->toggleViewAction());
    for (QDockWidget *dock : std::as_const(m_viewDocks))
        m_viewMenu->addAction(dock->toggleViewAction());
    m_viewMenu->addAction(m_historyDock->toggleViewAction());
    m_viewMenu->addSeparator();
    QAction *pin = action(m_viewMenu, tr("&Pin as Reference"), "action_pin_reference",
                          [this] { m_scenario->pinReference(); });
    pin->setToolTip(tr("Keep the current results as a faded reference to compare edits against"));
    m_clearReferenceAction = action(m_viewMenu, tr("&Clear Reference"), "action_clear_reference",
                                    [this] { m_scenario->clearReference(); });
    m_clearMeasuredAction = action(m_viewMenu, tr("Clear &Measured Points"), "action_clear_measured",
                                   [this] { m_scenario->setMeasuredPoints({}); });
    auto updateEnabled = [this] {
        m_clearReferenceAction->setEnabled(m_scenario->reference().has_value());
        m_clearMeasuredAction->setEnabled(!m_scenario->measuredPoints().isEmpty());
    };
    connect(m_scenario, &Scenario::presentationChanged, this, updateEnabled);
    updateEnabled();
    m_viewMenu->addSeparator();
    m_presentAction = action(m_viewMenu, tr("&Presentation"), "action_presentation", [this](bool on) { setPresentation(on); });
    m_presentAction->setCheckable(true);
    m_presentAction->setShortcut(QKeySequence(Qt::Key_F11));
    m_presentAction->setToolTip(tr("Full screen, one enlarged view in the slides theme, the key sliders beside it"));
    QMenu *presentDeckMenu = m_viewMenu->addMenu(tr("Present &Deck"));
    action(presentDeckMenu, tr("MLA in Six Steps (built-in)"), "action_present_builtin_deck",
           [this] { presentDeck(QString::fromLatin1(kBuiltinDeckPath)); });
    action(presentDeckMenu, tr("Deck File…"), "action_present_deck", [this] {
        const QString deck = QFileDialog::getOpenFileName(this, tr("Present Deck"), dialogDirectory(),
                                                          tr("MLA Studio decks (*%1);;JSON files (*.json)").arg(QString::fromLatin1(kDeckSuffix)));
        if (!deck.isEmpty())
            presentDeck(deck);
    });
    m_lockAxesAction = action(m_viewMenu, tr("&Lock Axes"), "action_lock_axes", [this](bool on) { setAxesLocked(on); });
    m_lockAxesAction->setCheckable(true);
    m_lockAxesAction->setToolTip(tr("Keep every axis range while values change: the points move, the frame stays"));
    m_viewMenu->addSeparator();
    QMenu *themeMenu = m_viewMenu->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    for (const auto &[id, text] : {std::pair{QStringLiteral("light"), tr("&Light")},
                                   std::pair{QStringLiteral("dark"), tr("&Dark")}}) {
        QAction *a = themeMenu->addAction(text);
        a->setObjectName(QStringLiteral("action_theme_") + id);
        a->setCheckable(true);
        a->setData(id);
        m_themeGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, theme = id] { setTheme(theme); });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    action(help, tr("&About MLA Studio"), "action_about", &MainWindow::about);
    action(help, tr("About &Qt"), "action_about_qt", [] { QApplication::aboutQt(); });
}

// ---- Files ---------------------------------------------------------------------------------

bool MainWindow::maybeSave()
{
    if (!m_scenario->isModified())
        return true;
    switch (m_confirmDiscard()) {
    case QMessageBox::Save: return save();
    case QMessageBox::Discard: return true;
    default: return false;
    }
}

void MainWindow::newFile()
{
    if (!maybeSave())
        return;
    m_scenario->newScenario();
    m_scenario->setTheme(themeFromId(m_theme).value_or(ThemeId::Light));
    updateTitle();
}

void MainWindow::openDialog()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Scenario"), dialogDirectory(),
        tr("MLA Studio scenarios (*%1);;JSON files (*.json);;All files (*)").arg(QString::fromLatin1(kScenarioSuffix)));
    if (path.isEmpty())
        return;
    // Already confirmed: do not ask twice.
    const ConfirmDiscard saved = m_confirmDiscard;
    m_confirmDiscard = [] { return QMessageBox::Discard; };
    openFile(path);
    m_confirmDiscard = saved;
}

bool MainWindow::openFile(const QString &path)
{
    if (!maybeSave())
        return false;
    const QString error = m_scenario->open(path);
    if (!error.isEmpty()) {
        warn(tr("Cannot open scenario"), error);
        return false;
    }
    m_scenario->setTheme(themeFromId(m_theme).value_or(ThemeId::Light));  // the palette and the figures follow the application theme
    addRecentFile(m_scenario->filePath());
    statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), 4000);
    updateTitle();
    return true;
}

bool MainWindow::saveFile(const QString &path)
{
    QString backupError;
    const QString error = m_scenario->save(path, &backupError);
    if (!error.isEmpty()) {
        // The file on disk is unchanged and the document stays modified: the title keeps its *.
        warn(tr("Cannot save scenario"), error);
        updateTitle();
        return false;
    }
    addRecentFile(m_scenario->filePath());
    if (backupError.isEmpty())
        statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 4000);
    else
        statusBar()->showMessage(tr("Saved %1, without a new backup: %2").arg(QFileInfo(path).fileName(), backupError), 10000);
    updateTitle();
    return true;
}

bool MainWindow::save()
{
    if (m_scenario->filePath().isEmpty())
        return saveAs();
    return saveFile(m_scenario->filePath());
}

bool MainWindow::saveAs()
{
    const QString suffix = QString::fromLatin1(kScenarioSuffix);
    QString start = m_scenario->filePath();
    if (start.isEmpty())
        start = dialogDirectory() + QStringLiteral("/untitled") + suffix;
    QString path = QFileDialog::getSaveFileName(this, tr("Save Scenario"), start,
                                                tr("MLA Studio scenarios (*%1)").arg(suffix));
    if (path.isEmpty())
        return false;
    if (!path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive))
        path += suffix;
    return saveFile(path);
}

bool MainWindow::importMeasuredFile(const QString &path)
{
    QString error;
    const QVector<MeasuredPoint> points = readMeasuredCsv(path, &error);
    if (!error.isEmpty()) {
        warn(tr("Cannot import measured points"), error);
        return false;
    }
    m_scenario->setMeasuredPoints(points);
    QSettings().setValue(kLastCsvKey, path);
    statusBar()->showMessage(tr("Imported %n measured point(s) from %1", nullptr, int(points.size()))
                                 .arg(QFileInfo(path).fileName()),
                             4000);
    return true;
}

void MainWindow::importMeasuredDialog()
{
    const QString last = QSettings().value(kLastCsvKey).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import Measured Points"), last.isEmpty() ? dialogDirectory() : QFileInfo(last).absolutePath(),
        tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        importMeasuredFile(path);
}

QString MainWindow::dialogDirectory() const
{
    const QString last = QSettings().value(kLastScenarioKey).toString();
    if (!last.isEmpty() && QFileInfo(last).absoluteDir().exists())
        return QFileInfo(last).absolutePath();
    return QDir::homePath();
}

QStringList MainWindow::recentFiles() const
{
    return QSettings().value(kRecentKey).toStringList();
}

void MainWindow::addRecentFile(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecentFiles)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
    settings.setValue(kLastScenarioKey, path);
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentFiles();
    int n = 0;
    for (const QString &path : recent) {
        ++n;
        QAction *a = m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(n).arg(QFileInfo(path).fileName()));
        a->setToolTip(path);
        a->setStatusTip(path);
        a->setEnabled(QFileInfo::exists(path));
        connect(a, &QAction::triggered, this, [this, path] { openFile(path); });
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
    m_recentMenu->addSeparator();
    QAction *clear = m_recentMenu->addAction(tr("&Clear List"));
    clear->setEnabled(!recent.isEmpty());
    connect(clear, &QAction::triggered, this, [] { QSettings().remove(kRecentKey); });
}

void MainWindow::warn(const QString &title, const QString &text)
{
    if (m_warn)
        m_warn(title, text);
}

// ---- Export --------------------------------------------------------------------------------

PlotView *MainWindow::activeView() const
{
    return m_activeViews->activeView();
}

ExportDialog *MainWindow::openExportDialog(bool data)
{
    auto *dialog = new ExportDialog(m_plotViews, activeView(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (data != dialog->isDataFormat())
        dialog->setFormat(data ? ExportFormat::Csv : ExportFormat::Pdf);
    dialog->open();
    return dialog;
}

QString MainWindow::copyFigure()
{
    PlotView *view = activeView();
    const ExportOptions options = ExportDialog::savedOptions();
    const QString error = ExportDialog::copyFigure(view, options);
    if (!error.isEmpty()) {
        warn(tr("Cannot copy the figure"), error);
        return error;
    }
    const QSize px = options.resolvedSizePixels();
    statusBar()->showMessage(tr("Copied %1 (%2 × %3 px)").arg(view->title()).arg(px.width()).arg(px.height()), 4000);
    return {};
}

// ---- Presentation mode ---------------------------------------------------------------------

bool MainWindow::isPresenting() const
{
    return m_presentation != nullptr;
}

PresentationWindow *MainWindow::presentation() const
{
    return m_presentation;
}

void MainWindow::setPresentation(bool on)
{
    if (on == isPresenting()) {
        m_presentAction->setChecked(on);
        return;
    }
    if (on) {
        const std::optional<ViewId> view = viewIdFromName(activeView()->viewId());
        m_presentation = new PresentationWindow(m_scenario, view.value_or(ViewId::Roofline), this);
        // Queued: the shortcut that asks to leave is still running inside the window.
        connect(m_presentation, &PresentationWindow::leaveRequested, this, [this] { setPresentation(false); },
                Qt::QueuedConnection);
        if (QScreen *screen = this->screen())
            m_presentation->setGeometry(screen->geometry());
        // The docks behind the full-screen window would redraw every change for nobody: close them
        // (hidden views wait until shown) and bring the arrangement back on leaving.
        m_presentationState = saveState(kStateVersion);
        m_presentedFrom = activeView();
        for (QDockWidget *dock : std::as_const(m_viewDocks))
            dock->hide();
        m_presentation->showFullScreen();
        m_presentation->activateWindow();
    } else {
        PresentationWindow *presentation = m_presentation;
        m_presentation = nullptr;
        presentation->hide();
        presentation->deleteLater();
        restoreState(m_presentationState, kStateVersion);
        // Docks reappearing count as raised: the view the user worked with stays the active one.
        const QPointer<PlotView> active = m_presentedFrom;
        m_activeViews->setActiveView(active);
        QTimer::singleShot(0, this, [this, active] { m_activeViews->setActiveView(active); });
        activateWindow();
    }
    m_presentAction->setChecked(on);
}

QString MainWindow::presentDeck(const QString &path)
{
    Deck deck;
    if (QString error = loadDeck(path, &deck); !error.isEmpty()) {
        warn(tr("Cannot open the deck"), error);
        return error;
    }
    setPresentation(true);
    m_presentation->setDeck(deck);
    const QString error = m_presentation->goToStep(0);
    if (!error.isEmpty())
        warn(tr("Cannot show the deck"), error);
    return error;
}

QString MainWindow::exportDeck(const QString &deckPath, const QString &pdfPath)
{
    Deck deck;
    QString error = loadDeck(deckPath, &deck);
    if (error.isEmpty())
        error = exportDeckPdf(deck, pdfPath, defaultDeckOptions());
    if (!error.isEmpty()) {
        warn(tr("Cannot export the deck"), error);
        return error;
    }
    statusBar()->showMessage(tr("Wrote %1 (%n page(s))", nullptr, int(deck.steps.size())).arg(QFileInfo(pdfPath).fileName()), 6000);
    return {};
}

void MainWindow::exportDeckDialog(const QString &deckPath)
{
    const QString name = deckPath.startsWith(QLatin1Char(':')) ? QStringLiteral("mla-in-six-steps")
                                                               : QFileInfo(deckPath).fileName().section(QLatin1Char('.'), 0, 0);
    QString path = QFileDialog::getSaveFileName(this, tr("Export Deck as PDF"),
                                                QDir(dialogDirectory()).filePath(name + QStringLiteral(".pdf")),
                                                tr("PDF files (*.pdf)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive))
        path += QStringLiteral(".pdf");
    exportDeck(deckPath, path);
}

void MainWindow::setAxesLocked(bool locked)
{
    for (PlotView *view : std::as_const(m_plotViews))
        view->setAxesLocked(locked);
    m_lockAxesAction->setChecked(locked);
}

// ---- Presentation --------------------------------------------------------------------------

void MainWindow::updateTitle()
{
    const QString path = m_scenario->filePath();
    const QString name = path.isEmpty() ? tr("Untitled") : QFileInfo(path).fileName();
    setWindowTitle(tr("%1[*] — MLA Studio").arg(name));
    setWindowFilePath(path);
    setWindowModified(m_scenario->isModified());
}

QString MainWindow::headline() const
{
    return m_headline->text();
}

void MainWindow::updateHeadline()
{
    const core::Parameters &p = m_scenario->parameters();
    m_summary->setText(tr("%1 on %2 · %3 · B=%4 · L=%5")
                           .arg(QString::fromStdString(p.model.name), QString::fromStdString(p.hardware.name),
                                p.workload.phase == core::Phase::Decode ? tr("decode") : tr("prefill"))
                           .arg(p.workload.batch)
                           .arg(p.workload.kvLength)
                       + QStringLiteral(" · ") + scopeCaption(p));

    using Run = HeadlineLabel::Run;
    if (!m_scenario->issues().empty()) {
        const core::ValidationIssue &issue = m_scenario->issues().front();
        m_headline->setRuns({Run{tr("Invalid input:"), true, true},
                             Run{QLatin1Char(' ') + QString::fromStdString(core::formatIssue(issue, core::IssueStyle::Display)),
                                 false, true}});
        return;
    }
    std::vector<const core::StepResult *> shown;
    for (core::Scheme s : m_scenario->visibleSchemes())
        shown.push_back(m_scenario->result(s));
    const std::vector<const core::StepResult *> leaders = core::leadingResults(shown);
    if (leaders.empty()) {
        m_headline->setRuns({Run{tr("No visible scheme applies to this model; choose one under Schemes.")}});
        return;
    }
    const core::StepResult *best = leaders.front();
    const QString rate = QString::fromStdString(core::formatTokenRate(best->tokensPerS, "tokens/s"));
    QList<Run> runs;
    if (leaders.size() == 1) {
        runs << Run{tr("Fastest: ")} << Run{schemeName(best->scheme), true} << Run{QStringLiteral(" — ") + rate};
    } else {
        // Same rule as the scheme map: a lead under core::kTieFraction is no win.
        for (std::size_t i = 0; i < leaders.size(); ++i) {
            if (i > 0)
                runs << Run{i + 1 == leaders.size() ? tr(" and ") : QStringLiteral(", ")};
            runs << Run{schemeName(leaders[i]->scheme), true};
        }
        runs << Run{tr(" tie (within %1 %) — %2").arg(qRound(core::kTieFraction * 100)).arg(rate)};
    }
    QString tail;
    const core::StepResult *mha = m_scenario->result(core::Scheme::Mha);
    if (mha && best->scheme != core::Scheme::Mha && mha->tokensPerS > 0.0)
        tail += tr(", %1× MHA").arg(QString::number(best->tokensPerS / mha->tokensPerS, 'f', 2));
    tail += QStringLiteral(", ") + boundText(best->bound);
    // How much of the whole step is attention: what MLA can change end to end.
    if (best->scope == core::Scope::Model)
        tail += tr(", attention %1 % of the time").arg(QString::number(100.0 * best->attentionTimeShare, 'f', 0));
    runs << Run{tail};
    if (!best->fitsInDram)
        runs << Run{QStringLiteral(" ")} << Run{tr("(does not fit in DRAM)"), false, true};
    // Against the pinned reference: the leader's change, from the core results of both scenarios.
    if (const std::optional<double> change = m_scenario->tokenRateChangeVsReference(best->scheme))
        runs << Run{QStringLiteral(" · ") + tr("%1 %2 tokens/s vs reference").arg(schemeShortName(best->scheme), signedPercent(*change))};
    m_headline->setRuns(runs);
}

void MainWindow::setTheme(const QString &theme)
{
    const bool dark = theme == QLatin1String("dark");
    m_theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
    // Fusion renders a swapped palette faithfully on every platform style.
    if (QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
    m_scenario->setTheme(themeFromId(m_theme).value_or(ThemeId::Light));
    for (QAction *a : m_themeGroup->actions())
        a->setChecked(a->data().toString() == m_theme);
}

void MainWindow::about()
{
    QMessageBox::about(
        this, tr("About MLA Studio"),
        tr("<h3>MLA Studio %1</h3>"
           "<p>Compares multi-head attention with DeepSeek's multi-head latent attention on real "
           "hardware numbers: a roofline and energy model of every attention operator, per scheme.</p>"
           "<p>Every number is editable; presets name their sources. MIT licence.</p>")
            .arg(QCoreApplication::applicationVersion()));
}

// ---- Settings and closing ------------------------------------------------------------------

void MainWindow::readSettings()
{
    QSettings settings;
    const QByteArray geometry = settings.value(kGeometryKey).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    fitToScreen();
    const QByteArray state = settings.value(kStateKey).toByteArray();
    // Dock sizes only take effect once the window is laid out, hence the queued call.
    if (state.isEmpty() || !restoreState(state, kStateVersion))
        QTimer::singleShot(0, this, m_defaultSizes);
    setTheme(settings.value(kThemeKey, QStringLiteral("light")).toString());
}

void MainWindow::fitToScreen()
{
    // A geometry saved on a larger screen (or at a smaller scale factor) must not open off screen.
    const QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    if (!screen)
        return;
    const QRect available = screen->availableGeometry();
    const QSize frame = frameGeometry().size() - geometry().size();  // empty before the first show
    const QSize size = this->size().boundedTo(available.size() - frame).expandedTo(minimumSizeHint().boundedTo(available.size()));
    if (isMaximized() || isFullScreen())
        return;
    resize(size);
    QPoint topLeft = pos();
    topLeft.setX(std::clamp(topLeft.x(), available.left(), std::max(available.left(), available.right() + 1 - size.width() - frame.width())));
    topLeft.setY(std::clamp(topLeft.y(), available.top(), std::max(available.top(), available.bottom() + 1 - size.height() - frame.height())));
    move(topLeft);
}

void MainWindow::writeSettings() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState(kStateVersion));
    settings.setValue(kThemeKey, m_theme);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // The frame's size is known once the window exists: fit the frame, not just the contents.
    if (!m_fitted) {
        m_fitted = true;
        fitToScreen();
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    writeSettings();
    if (m_autosave)
        m_autosave->remove();  // saved or discarded on purpose: nothing to recover
    event->accept();
}

int MainWindow::startAutosave(const QString &directory)
{
    if (!m_autosave)
        createAutosave();
    if (!directory.isEmpty())
        m_autosave->setDirectory(directory);
    std::vector<Autosave::Recovery> recoveries = Autosave::claimStale(m_autosave->directory());
    int restored = 0;
    for (Autosave::Recovery &recovery : recoveries) {
        if (!m_confirmRestore(recovery.info)) {
            Autosave::discard(recovery);
            continue;
        }
        // One scenario per window: this one takes the first, a new window each further one.
        MainWindow *target = restored == 0 ? this : createSiblingWindow();
        if (target != this)
            target->m_autosave->setDirectory(m_autosave->directory());
        const QString error = target->m_autosave->restore(recovery);
        if (!target->m_scenario->isModified()) {
            // Unloadable: keep it for the user under another name, but do not offer it at every start.
            warn(tr("Cannot restore the unsaved scenario"), error);
            Autosave::setAside(recovery);
            if (target != this)
                delete target;  // never shown: closing would store its geometry as the user's
            continue;
        }
        if (!error.isEmpty())  // restored, but writing it back failed
            warn(tr("Cannot write the autosave"), error);
        ++restored;
        target->m_scenario->setTheme(themeFromId(target->m_theme).value_or(ThemeId::Light));  // the figures follow the application theme, as after open
        target->statusBar()->showMessage(tr("Restored the unsaved scenario"), 6000);
        target->updateTitle();
        if (target != this)
            target->show();
    }
    m_autosave->start();
    return restored;
}

void MainWindow::createAutosave()
{
    m_autosave = new Autosave(m_scenario, this);
    // Not a dialog: a full disk would raise one every few seconds. The edits stay in the window.
    connect(m_autosave, &Autosave::failed, this, [this](const QString &error) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(error), 15000);
    });
}

MainWindow *MainWindow::createSiblingWindow()
{
    auto *window = new MainWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->move(pos() + QPoint(40, 40));
    window->createAutosave();
    if (m_autosave)
        window->m_autosave->setDirectory(m_autosave->directory());
    window->m_autosave->start();
    return window;
}

MainWindow *MainWindow::openInNewWindow(const QString &path)
{
    // A restored scenario of that file is newer than the file: show it rather than a second copy.
    const QString absolute = QFileInfo(path).absoluteFilePath();
    for (QWidget *w : QApplication::topLevelWidgets()) {
        auto *open = qobject_cast<MainWindow *>(w);
        if (open && open->isVisible() && open->m_scenario->filePath() == absolute) {
            open->raise();
            open->statusBar()->showMessage(
                tr("%1 is open here with its restored unsaved changes").arg(QFileInfo(path).fileName()), 10000);
            return open;
        }
    }
    MainWindow *window = createSiblingWindow();
    // Errors are shown by this window, which the user is looking at.
    window->m_warn = [this](const QString &title, const QString &text) { warn(title, text); };
    const bool opened = window->openFile(path);
    window->m_warn = [window](const QString &title, const QString &text) { QMessageBox::warning(window, title, text); };
    if (!opened) {
        delete window;  // never shown: closing would store its geometry as the user's
        return nullptr;
    }
    window->show();
    return window;
}

} // namespace mlastudio::ui
