// SPDX-License-Identifier: MIT
// The export dialog as a user drives it, and the promise behind it: a figure exported from the
// window has the pixels the headless command line writes for the same scenario.
#include "windowfixture.h"
#include "exportdialog.h"
#include "mainwindow.h"
#include "scenario.h"
#include "views/plotexporter.h"
#include "views/plotview.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QMimeData>
#include <QProcess>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <memory>

using namespace mlastudio;
using mlastudio::ui::ExportDialog;
using mlastudio::ui::ExportOptions;
using mlastudio::ui::MainWindow;
using mlastudio::ui::PlotView;
using mlastudio::ui::Scenario;

namespace {

PlotView *viewById(const MainWindow &window, const QString &id)
{
    for (PlotView *view : window.plotViews())
        if (view->viewId() == id)
            return view;
    return nullptr;
}

// The dialog File → Export opened last.
ExportDialog *openedDialog(const MainWindow &window)
{
    const QList<ExportDialog *> dialogs = window.findChildren<ExportDialog *>(Qt::FindDirectChildrenOnly);
    return dialogs.isEmpty() ? nullptr : dialogs.constLast();
}

QDockWidget *dockById(const MainWindow &window, const QString &id)
{
    for (QDockWidget *dock : window.viewDocks())
        if (dock->objectName() == id)
            return dock;
    return nullptr;
}

// The <text> strings of an SVG file.
QSet<QString> svgTexts(const QString &path, QString *error)
{
    QSet<QString> texts;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return texts;
    }
    QXmlStreamReader xml(&f);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QStringLiteral("text"))
            texts.insert(xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed());
    }
    if (xml.hasError())
        *error = xml.errorString();
    return texts;
}

// Runs the real executable; \return its exit code (-1 if it did not run), output in \p output.
int runCli(const QStringList &args, QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(MLASTUDIO_BINARY), args);
    if (!p.waitForFinished(60000)) {
        *output = p.errorString();
        return -1;
    }
    *output = QString::fromUtf8(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace

class TestExportDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void preselectsViewAndDefaults();
    void previewHasExportSize();
    void exportWritesValidFiles();
    void headlessAndGuiAgree();
    void copyToClipboard();
    void unwritablePathLeavesNoFile();
    void optionsRemembered();
    void activeViewFollowsDocks();

private:
    using Fixture = WindowFixture;
    QTemporaryDir m_dir;
};

void TestExportDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestExportDialog::init()
{
    QSettings().clear();
}

void TestExportDialog::preselectsViewAndDefaults()
{
    Fixture f;
    PlotView *energy = viewById(f.window, QStringLiteral("energy"));
    QVERIFY(energy);
    ExportDialog dialog(f.window.plotViews(), energy);
    QCOMPARE(dialog.currentView(), energy);
    QCOMPARE(dialog.format(), QStringLiteral("pdf"));
    const ExportOptions o = dialog.options();
    QCOMPARE(o.sizePreset, QStringLiteral("single-column"));
    QCOMPARE(o.theme, ui::ThemeId::Paper);
    QCOMPARE(o.dpi, 300.0);
    auto *views = dialog.findChild<QComboBox *>(QStringLiteral("viewCombo"));
    QVERIFY(views);
    QCOMPARE(views->count(), f.window.plotViews().size());

    // File → Export Figure… opens it on the active view (roofline at first).
    QAction *action = f.window.findChild<QAction *>(QStringLiteral("action_export"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
    action->trigger();
    auto *opened = openedDialog(f.window);
    QVERIFY(opened);
    QCOMPARE(opened->currentView()->viewId(), QStringLiteral("roofline"));
    QVERIFY(!opened->isDataFormat());
    opened->close();
    QTest::qWait(0);

    f.window.findChild<QAction *>(QStringLiteral("action_export_data"))->trigger();
    auto *data = openedDialog(f.window);
    QVERIFY(data);
    QCOMPARE(data->format(), QStringLiteral("csv"));
    data->close();
}

void TestExportDialog::previewHasExportSize()
{
    Fixture f;
    ExportDialog dialog(f.window.plotViews(), f.window.plotViews().constFirst());
    dialog.setFormat(QStringLiteral("png"));
    dialog.updatePreview();
    QCOMPARE(dialog.previewImage().size(), dialog.options().resolvedSizePixels());
    QCOMPARE(dialog.previewImage().size(), QSize(1050, 780));
    QVERIFY(dialog.sizeText().contains(QStringLiteral("1050 × 780 px")));

    ExportOptions o;
    o.sizePreset = QStringLiteral("double-column");
    o.dpi = 150;
    o.theme = ui::ThemeId::Dark;
    dialog.setOptions(o);
    dialog.updatePreview();
    QCOMPARE(dialog.previewImage().size(), dialog.options().resolvedSizePixels());
    QCOMPARE(dialog.previewImage().size(), QSize(1074, 525));
    // The dark theme's background, not the screen's.
    QCOMPARE(dialog.previewImage().pixelColor(2, 2), ui::FigureTheme::preset(ui::ThemeId::Dark).background);

    o.sizePreset = QStringLiteral("custom");
    o.sizePixels = QSize(640, 480);
    dialog.setOptions(o);
    dialog.updatePreview();
    QCOMPARE(dialog.options().resolvedSizePixels(), QSize(640, 480));
    QCOMPARE(dialog.previewImage().size(), QSize(640, 480));

    // The preview is the exporter's image.
    const QImage direct = ui::PlotExporter::renderImage(dialog.currentView(), dialog.options());
    QCOMPARE(direct.convertToFormat(QImage::Format_ARGB32), dialog.previewImage().convertToFormat(QImage::Format_ARGB32));
}

void TestExportDialog::exportWritesValidFiles()
{
    Fixture f;
    ExportDialog dialog(f.window.plotViews(), viewById(f.window, QStringLiteral("throughput")));
    const QString base = m_dir.filePath(QStringLiteral("dialog-throughput"));

    dialog.setFormat(QStringLiteral("png"));
    QCOMPARE(dialog.exportTo(base), QString());  // the suffix is appended
    const QImage png(base + QStringLiteral(".png"));
    QCOMPARE(png.size(), QSize(1050, 780));
    QCOMPARE(qRound(png.dotsPerMeterX() * 0.0254), 300);

    dialog.setFormat(QStringLiteral("pdf"));
    QCOMPARE(dialog.exportTo(base + QStringLiteral(".pdf")), QString());
    QFile pdf(base + QStringLiteral(".pdf"));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(4) == "%PDF");

    dialog.setFormat(QStringLiteral("svg"));
    QCOMPARE(dialog.exportTo(base), QString());
    QString error;
    QVERIFY(svgTexts(base + QStringLiteral(".svg"), &error).size() > 3);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    dialog.setFormat(QStringLiteral("csv"));
    QVERIFY(dialog.isDataFormat());
    QCOMPARE(dialog.exportTo(base), QString());
    QFile csv(base + QStringLiteral(".csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QVERIFY(csv.readLine().startsWith("# scenario: {"));

    dialog.setFormat(QStringLiteral("json"));
    QCOMPARE(dialog.exportTo(base), QString());
    QFile json(base + QStringLiteral(".json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const nlohmann::json j = nlohmann::json::parse(json.readAll().toStdString());
    QCOMPARE(QString::fromStdString(j.at("view").get<std::string>()), QStringLiteral("throughput"));
}

void TestExportDialog::headlessAndGuiAgree()
{
    if (QByteArray(MLASTUDIO_BINARY).isEmpty())
        QSKIP("the mla-studio executable is not part of this build");
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    // Not the default scenario, so a file that failed to load would show.
    f.scenario.setField(core::Field::Batch, 16);
    f.scenario.setField(core::Field::KvLength, 32768);
    f.scenario.endMerge();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString scenarioPath = dir.filePath(QStringLiteral("agree.mlastudio.json"));
    QCOMPARE(f.scenario.save(scenarioPath), QString());

    // The GUI: the docked roofline, through File → Export Figure… and the dialog's choices.
    f.window.findChild<QAction *>(QStringLiteral("action_export"))->trigger();
    auto *dialog = openedDialog(f.window);
    QVERIFY(dialog);
    QVERIFY(dialog->setCurrentView(QStringLiteral("roofline")));
    QCOMPARE(dialog->currentView(), viewById(f.window, QStringLiteral("roofline")));
    QVERIFY(dialog->currentView()->isVisible());
    ExportOptions o;
    o.sizePreset = QStringLiteral("single-column");
    o.dpi = 150;
    o.theme = ui::ThemeId::Paper;
    dialog->setOptions(o);
    dialog->setFormat(QStringLiteral("png"));
    const QString guiPng = dir.filePath(QStringLiteral("gui.png"));
    QCOMPARE(dialog->exportTo(guiPng), QString());
    dialog->setFormat(QStringLiteral("svg"));
    const QString guiSvg = dir.filePath(QStringLiteral("gui.svg"));
    QCOMPARE(dialog->exportTo(guiSvg), QString());

    // The command line on the saved file.
    const QString cliPng = dir.filePath(QStringLiteral("cli.png"));
    const QString cliSvg = dir.filePath(QStringLiteral("cli.svg"));
    for (const QString &out : {cliPng, cliSvg}) {
        QString output;
        const int rc = runCli({QStringLiteral("export"), scenarioPath, QStringLiteral("--view"), QStringLiteral("roofline"),
                               QStringLiteral("--out"), out, QStringLiteral("--size"), QStringLiteral("single-column"),
                               QStringLiteral("--dpi"), QStringLiteral("150"), QStringLiteral("--theme"), QStringLiteral("paper")},
                              &output);
        QVERIFY2(rc == 0, qPrintable(output));
    }

    const QImage gui = QImage(guiPng).convertToFormat(QImage::Format_ARGB32);
    const QImage cli = QImage(cliPng).convertToFormat(QImage::Format_ARGB32);
    QVERIFY(!gui.isNull() && !cli.isNull());
    QCOMPARE(gui.size(), QSize(525, 390));
    QCOMPARE(cli.size(), gui.size());
    qsizetype differing = 0;
    for (int y = 0; y < gui.height(); ++y)
        for (int x = 0; x < gui.width(); ++x)
            differing += gui.pixel(x, y) != cli.pixel(x, y);
    if (differing != 0) {
        const QString keep = QDir::temp().filePath(QStringLiteral("mlastudio-export-mismatch"));
        QDir().mkpath(keep);
        QFile::copy(guiPng, keep + QStringLiteral("/gui.png"));
        QFile::copy(cliPng, keep + QStringLiteral("/cli.png"));
        QFAIL(qPrintable(QStringLiteral("%1 of %2 pixels differ (images kept in %3)")
                             .arg(differing).arg(gui.width() * gui.height()).arg(keep)));
    }

    QString error;
    const QSet<QString> guiTexts = svgTexts(guiSvg, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QSet<QString> cliTexts = svgTexts(cliSvg, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(guiTexts.size() > 5);
    QCOMPARE(guiTexts, cliTexts);
}

void TestExportDialog::copyToClipboard()
{
    Fixture f;
    ExportDialog dialog(f.window.plotViews(), viewById(f.window, QStringLiteral("memory")));
    ExportOptions o;
    o.sizePreset = QStringLiteral("double-column");
    o.dpi = 120;
    dialog.setOptions(o);
    QGuiApplication::clipboard()->clear();
    QCOMPARE(dialog.copyToClipboard(), QString());
    const QImage image = QGuiApplication::clipboard()->image();
    QCOMPARE(image.size(), dialog.options().resolvedSizePixels());
    QCOMPARE(image.size(), QSize(859, 420));
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    QVERIFY(mime);
    QVERIFY(mime->hasFormat(QStringLiteral("image/svg+xml")));
    QVERIFY(mime->data(QStringLiteral("image/svg+xml")).contains("<svg"));

    // Copy Figure in the window: the active view with the last options (remembered by the copy).
    QGuiApplication::clipboard()->clear();
    f.window.findChild<QAction *>(QStringLiteral("action_copy_figure"))->trigger();
    QCOMPARE(QGuiApplication::clipboard()->image().size(), QSize(859, 420));
    QVERIFY(f.warnings.isEmpty());
}

void TestExportDialog::unwritablePathLeavesNoFile()
{
    Fixture f;
    QStringList warned;
    ExportDialog dialog(f.window.plotViews(), f.window.plotViews().constFirst());
    dialog.setWarningHandler([&warned](const QString &, const QString &text) { warned << text; });
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString blocker = dir.filePath(QStringLiteral("file.txt"));
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a directory\n");
    }
    for (const QString &format : {QStringLiteral("png"), QStringLiteral("pdf"), QStringLiteral("svg"), QStringLiteral("csv")}) {
        QVERIFY(dialog.setFormat(format));
        const QString path = blocker + QStringLiteral("/x.") + format;
        const QString error = dialog.exportTo(path);
        QVERIFY2(error.contains(QDir::toNativeSeparators(path)), qPrintable(error));
        QVERIFY(!QFileInfo::exists(path));
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList{QStringLiteral("file.txt")});
    // Nothing was remembered from the failed exports, and the dialog keeps its choices.
    QVERIFY(!QSettings().contains(QStringLiteral("export/dir")));
    QCOMPARE(dialog.format(), QStringLiteral("csv"));
}

void TestExportDialog::optionsRemembered()
{
    Fixture f;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    {
        ExportDialog dialog(f.window.plotViews(), f.window.plotViews().constFirst());
        ExportOptions o;
        o.sizePreset = QStringLiteral("custom");
        o.sizeInches = QSizeF(5.0, 3.0);
        o.dpi = 200;
        o.theme = ui::ThemeId::Slides;
        dialog.setOptions(o);
        dialog.setFormat(QStringLiteral("svg"));
        QCOMPARE(dialog.exportTo(dir.filePath(QStringLiteral("remembered.svg"))), QString());
    }
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("export/dir")).toString(), QFileInfo(dir.path()).absoluteFilePath());
    QCOMPARE(settings.value(QStringLiteral("export/format")).toString(), QStringLiteral("svg"));
    QCOMPARE(settings.value(QStringLiteral("export/size")).toString(), QStringLiteral("5x3in"));
    QCOMPARE(settings.value(QStringLiteral("export/dpi")).toDouble(), 200.0);
    QCOMPARE(settings.value(QStringLiteral("export/theme")).toString(), QStringLiteral("slides"));

    ExportDialog again(f.window.plotViews(), nullptr);
    QCOMPARE(again.format(), QStringLiteral("svg"));
    const ExportOptions o = again.options();
    QCOMPARE(o.sizePreset, QStringLiteral("custom"));
    QCOMPARE(o.resolvedSizeInches(), QSizeF(5.0, 3.0));
    QCOMPARE(o.dpi, 200.0);
    QCOMPARE(o.theme, ui::ThemeId::Slides);

    // Pixel sizes survive too.
    ExportOptions px;
    px.sizePreset = QStringLiteral("custom");
    px.sizePixels = QSize(1600, 900);
    px.dpi = 150;
    ExportDialog::saveOptions(px);
    QCOMPARE(ExportDialog::savedOptions().resolvedSizePixels(), QSize(1600, 900));
    ExportDialog third(f.window.plotViews(), nullptr);
    QCOMPARE(third.options().resolvedSizePixels(), QSize(1600, 900));
}

void TestExportDialog::activeViewFollowsDocks()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    QTest::qWait(10);
    QCOMPARE(f.window.activeView()->viewId(), QStringLiteral("roofline"));

    // Raising a tab makes it active.
    QDockWidget *energy = dockById(f.window, QStringLiteral("energy"));
    QVERIFY(energy);
    energy->raise();
    QTRY_COMPARE(f.window.activeView()->viewId(), QStringLiteral("energy"));

    // So does a click into a plot.
    PlotView *memory = viewById(f.window, QStringLiteral("memory"));
    QTest::mouseClick(memory->plot(), Qt::LeftButton, {}, QPoint(20, 20));
    QCOMPARE(f.window.activeView(), memory);

    // The export dialog opens on it.
    f.window.findChild<QAction *>(QStringLiteral("action_export"))->trigger();
    auto *dialog = openedDialog(f.window);
    QVERIFY(dialog);
    QCOMPARE(dialog->currentView(), memory);
    dialog->close();

    // A closed dock is not active any more.
    dockById(f.window, QStringLiteral("memory"))->close();
    QCOMPARE(f.window.activeView()->viewId(), QStringLiteral("roofline"));
}

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
