// SPDX-License-Identifier: MIT
// Every write of the document and of the export dialog under real faults: a full file system
// (RLIMIT_FSIZE with SIGXFSZ ignored, no root needed), a missing folder, a read-only folder.
// After each failure the old file is byte-for-byte unchanged and the error names the path.
#include "windowfixture.h"
#include "writefaults.h"

#include "atomicwrite.h"
#include "exportdialog.h"
#include "mainwindow.h"
#include "scenario.h"
#include "views/plotexporter.h"
#include "views/rooflineview.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace mlastudio;
using namespace mlastudio::ui;
using writefaults::FileSizeLimit;
using writefaults::readAll;

namespace {

// Everything in \p dir: a failed write must leave no temporary file behind.
QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
}

} // namespace

class TestWriteFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void atomicWriteChecksEveryStep();
    void saveToFullDiskKeepsFile();
    void backupIsReplacedOnlyWhenComplete();
    void failedBackupDoesNotBlockSave();
    void windowKeepsDocumentDirtyAfterFailedSave();
    void exportsToFullDiskKeepFile_data();
    void exportsToFullDiskKeepFile();
    void missingFolder();
    void permissionDenied();
    void exportDialogReportsAndStaysOpen();
    void sizesRefused();

private:
    QTemporaryDir m_dir;
};

void TestWriteFaults::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();  // the export dialog remembers options across runs
    QVERIFY(m_dir.isValid());
}

void TestWriteFaults::atomicWriteChecksEveryStep()
{
    const QString dir = m_dir.filePath(QStringLiteral("atomic"));
    QVERIFY(QDir().mkpath(dir));
    const QString path = dir + QStringLiteral("/file.bin");
    const QByteArray old(3000, 'o');
    QCOMPARE(writeFileAtomically(path, old), QString());
    QCOMPARE(readAll(path), old);
    // Larger than the limit: QSaveFile alone would cut the file to 1000 bytes and report success.
    QString error;
    {
        const FileSizeLimit limit(1000);
        QVERIFY(limit.ok());
        error = writeFileAtomically(path, QByteArray(5000, 'n'));
    }
    QVERIFY2(error.startsWith(QStringLiteral("Cannot write ") + path), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("file size limit")) && error.contains(QStringLiteral("File too large")),
             qPrintable(error));
    QCOMPARE(readAll(path), old);
    QCOMPARE(entries(dir), QStringList{QStringLiteral("file.bin")});
    // Exactly at the limit still fits.
    {
        const FileSizeLimit limit(1000);
        error = writeFileAtomically(path, QByteArray(1000, 'e'));
    }
    QCOMPARE(error, QString());
    QCOMPARE(readAll(path), QByteArray(1000, 'e'));
    QCOMPARE(writeFileAtomically(dir, "x").contains(QStringLiteral("it is a folder")), true);
}

void TestWriteFaults::saveToFullDiskKeepsFile()
{
    const QString path = m_dir.filePath(QStringLiteral("full.mlastudio.json"));
    Scenario s;
    s.setField(core::Field::Batch, 3);
    QCOMPARE(s.save(path), QString());
    const QByteArray saved = readAll(path);
    QVERIFY(saved.size() > 1000);
    s.setField(core::Field::Batch, 4);
    QVERIFY(s.isModified());
    QString error;
    {
        const FileSizeLimit limit(600);
        error = s.save(path);
    }
    QVERIFY2(error.contains(path) && error.contains(QStringLiteral("File too large")), qPrintable(error));
    QCOMPARE(readAll(path), saved);
    QVERIFY(s.isModified());  // the edit is not marked as saved
    QCOMPARE(s.parameters().workload.batch, 4);
    QCOMPARE(s.save(path), QString());  // room again
    QVERIFY(!s.isModified());
}

void TestWriteFaults::backupIsReplacedOnlyWhenComplete()
{
    const QString path = m_dir.filePath(QStringLiteral("backup.mlastudio.json"));
    const QString backup = path + QLatin1Char('~');
    Scenario s;
    s.setField(core::Field::Batch, 5);
    QCOMPARE(s.save(path), QString());
    QVERIFY(!QFileInfo::exists(backup));  // nothing to back up the first time
    const QByteArray v1 = readAll(path);
    s.setField(core::Field::Batch, 6);
    QCOMPARE(s.save(path), QString());
    QCOMPARE(readAll(backup), v1);  // the previous version
    const QByteArray v2 = readAll(path);
    QVERIFY(v1 != v2);

    // The disk fills up while the new backup is written: the old backup and the file both survive.
    s.setField(core::Field::Batch, 7);
    QString error, backupError;
    {
        const FileSizeLimit limit(600);
        error = s.save(path, &backupError);
    }
    QVERIFY2(backupError.contains(backup) && backupError.contains(QStringLiteral("File too large")), qPrintable(backupError));
    QVERIFY2(error.contains(path), qPrintable(error));
    QCOMPARE(readAll(backup), v1);
    QCOMPARE(readAll(path), v2);
    QVERIFY(s.isModified());
    QCOMPARE(entries(m_dir.path()).filter(QStringLiteral("backup")),
             (QStringList{QStringLiteral("backup.mlastudio.json"), QStringLiteral("backup.mlastudio.json~")}));
}

void TestWriteFaults::failedBackupDoesNotBlockSave()
{
    // A large old file (not a scenario) cannot be copied under the limit; the small new one fits.
    const QString path = m_dir.filePath(QStringLiteral("bigold.mlastudio.json"));
    const QString backup = path + QLatin1Char('~');
    const QByteArray big(64 * 1024, 'b');
    const QByteArray olderBackup("an older backup\n");
    QVERIFY(writefaults::writeAll(path, big));
    QVERIFY(writefaults::writeAll(backup, olderBackup));
    Scenario s;
    s.setField(core::Field::Batch, 8);
    QString error, backupError;
    {
        const FileSizeLimit limit(32 * 1024);
        error = s.save(path, &backupError);
    }
    QCOMPARE(error, QString());
    QVERIFY2(backupError.contains(backup), qPrintable(backupError));
    QCOMPARE(readAll(backup), olderBackup);  // not deleted, not cut
    QVERIFY(readAll(path).contains("\"batch\": 8"));
    QVERIFY(!s.isModified());
}

void TestWriteFaults::windowKeepsDocumentDirtyAfterFailedSave()
{
    const QString path = m_dir.filePath(QStringLiteral("window.mlastudio.json"));
    WindowFixture f;
    QVERIFY(f.window.saveFile(path));
    const QByteArray saved = readAll(path);
    f.scenario.setField(core::Field::Batch, 9);
    QVERIFY(f.window.isWindowModified());
    bool ok = true;
    {
        const FileSizeLimit limit(600);
        ok = f.window.saveFile(path);
    }
    QVERIFY(!ok);
    QCOMPARE(f.warnings.size(), 1);
    QVERIFY2(f.warnings.front().contains(path) && f.warnings.front().contains(QStringLiteral("File too large")),
             qPrintable(f.warnings.front()));
    QCOMPARE(readAll(path), saved);
    QVERIFY(f.window.isWindowModified());  // the title keeps its *
    QVERIFY(f.window.windowTitle().contains(QStringLiteral("[*]")));
    // Quit still asks.
    int asked = 0;
    f.window.setConfirmDiscard([&] { return ++asked, QMessageBox::Cancel; });
    QVERIFY(!f.window.close());
    QCOMPARE(asked, 1);
    f.window.setConfirmDiscard([] { return QMessageBox::Discard; });
}

void TestWriteFaults::exportsToFullDiskKeepFile_data()
{
    QTest::addColumn<QString>("format");
    for (const char *format : {"pdf", "svg", "png", "csv", "json"})
        QTest::newRow(format) << QString::fromLatin1(format);
}

void TestWriteFaults::exportsToFullDiskKeepFile()
{
    QFETCH(QString, format);
    Scenario s;
    RooflineView view(&s);
    view.resize(800, 500);
    const bool data = format == QLatin1String("csv") || format == QLatin1String("json");
    const QString dir = m_dir.filePath(QStringLiteral("export-") + format);
    QVERIFY(QDir().mkpath(dir));
    const QString path = dir + QStringLiteral("/roofline.") + format;
    const auto exportNow = [&] {
        return data ? PlotExporter::exportData(&view, path) : PlotExporter::exportPlot(&view, path, ExportOptions());
    };
    QCOMPARE(exportNow(), QString());
    const QByteArray good = readAll(path);
    QVERIFY(good.size() > 1000);
    s.setField(core::Field::Batch, 16);  // a different figure, so a partial write would differ
    QString error;
    {
        const FileSizeLimit limit(500);
        error = exportNow();
    }
    QVERIFY2(error.contains(path) && error.contains(QStringLiteral("File too large")), qPrintable(error));
    QCOMPARE(readAll(path), good);
    QCOMPARE(entries(dir), QStringList{QStringLiteral("roofline.") + format});
}

void TestWriteFaults::missingFolder()
{
    const QString dir = m_dir.filePath(QStringLiteral("no/such/folder"));
    Scenario s;
    s.setField(core::Field::Batch, 2);
    const QString error = s.save(dir + QStringLiteral("/x.mlastudio.json"));
    QVERIFY2(error.contains(dir + QStringLiteral("/x.mlastudio.json")) && error.contains(QStringLiteral("does not exist")),
             qPrintable(error));
    QVERIFY(s.isModified());
    RooflineView view(&s);
    for (const QString &name : {QStringLiteral("r.pdf"), QStringLiteral("r.svg"), QStringLiteral("r.png")}) {
        const QString e = PlotExporter::exportPlot(&view, dir + QLatin1Char('/') + name, ExportOptions());
        QVERIFY2(e.contains(name) && e.contains(QStringLiteral("does not exist")), qPrintable(e));
    }
    for (const QString &name : {QStringLiteral("r.csv"), QStringLiteral("r.json")}) {
        const QString e = PlotExporter::exportData(&view, dir + QLatin1Char('/') + name);
        QVERIFY2(e.contains(name) && e.contains(QStringLiteral("does not exist")), qPrintable(e));
    }
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("no"))));
}

void TestWriteFaults::permissionDenied()
{
    if (!writefaults::permissionsApply())
        QSKIP("running as root, which ignores file permissions (the other faults cover root)");
    const QString dir = m_dir.filePath(QStringLiteral("readonly"));
    QVERIFY(QDir().mkpath(dir));
    const QString path = dir + QStringLiteral("/ro.mlastudio.json");
    Scenario s;
    QCOMPARE(s.save(path), QString());
    const QByteArray saved = readAll(path);
    QVERIFY(QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    s.setField(core::Field::Batch, 10);
    const QString error = s.save(path);
    RooflineView view(&s);
    const QString exportError = PlotExporter::exportPlot(&view, dir + QStringLiteral("/r.pdf"), ExportOptions());
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY2(error.contains(path) && error.contains(QStringLiteral("permission denied")), qPrintable(error));
    QVERIFY2(exportError.contains(QStringLiteral("r.pdf")) && exportError.contains(QStringLiteral("permission denied")),
             qPrintable(exportError));
    QCOMPARE(readAll(path), saved);
    QVERIFY(s.isModified());
}

void TestWriteFaults::exportDialogReportsAndStaysOpen()
{
    WindowFixture f;
    ExportDialog *dialog = f.window.openExportDialog(false);
    QVERIFY(dialog);
    dialog->setFormat(ExportFormat::Pdf);
    const QString dir = m_dir.filePath(QStringLiteral("dialog"));
    QVERIFY(QDir().mkpath(dir));
    const QString path = dir + QStringLiteral("/fig.pdf");
    QCOMPARE(dialog->exportTo(path), QString());
    const QByteArray good = readAll(path);
    QVERIFY(good.startsWith("%PDF"));
    QString error;
    {
        const FileSizeLimit limit(500);
        error = dialog->exportTo(path);
    }
    QVERIFY2(error.contains(path) && error.contains(QStringLiteral("File too large")), qPrintable(error));
    QCOMPARE(readAll(path), good);
    QVERIFY(dialog->isVisible());
    // Data through the same dialog.
    dialog->setFormat(ExportFormat::Csv);
    const QString csv = dir + QStringLiteral("/fig.csv");
    QCOMPARE(dialog->exportTo(csv), QString());
    const QByteArray goodCsv = readAll(csv);
    {
        const FileSizeLimit limit(200);
        error = dialog->exportTo(csv);
    }
    QVERIFY2(error.contains(csv), qPrintable(error));
    QCOMPARE(readAll(csv), goodCsv);
    dialog->close();
}

void TestWriteFaults::sizesRefused()
{
    ExportOptions o;
    QString why;
    for (const QString &text : {QStringLiteral("0x0px"), QStringLiteral("0x300px"), QStringLiteral("-3x2in"),
                                QStringLiteral("3x0in"), QStringLiteral("10.5x20px")}) {
        ExportOptions before;
        QVERIFY2(!o.setSizeString(text, &why), qPrintable(text));
        QVERIFY2(why.contains(text), qPrintable(why));
        QCOMPARE(o.sizeString(), before.sizeString());  // unchanged
    }
    // A zero size set directly is refused, not replaced by the default size.
    o.sizePreset = SizePreset::Custom;
    o.sizePixels = QSize(0, 0);
    QVERIFY(PlotExporter::validate(o).contains(QStringLiteral("greater than 0")));
    o.sizePixels = QSize();
    o.sizeInches = QSizeF(0, 2);
    QVERIFY(PlotExporter::validate(o).contains(QStringLiteral("greater than 0")));

    // A remembered zero size (settings edited by hand) falls back to the defaults in the dialog.
    QSettings().setValue(QStringLiteral("export/size"), QStringLiteral("0x0px"));
    QCOMPARE(ExportDialog::savedOptions().sizeString(), QStringLiteral("single-column"));
    QSettings().setValue(QStringLiteral("export/size"), QStringLiteral("640x480px"));
    QCOMPARE(ExportDialog::savedOptions().sizeString(), QStringLiteral("640x480px"));
    QSettings().remove(QStringLiteral("export/size"));

    // 15 × 15 in at 2400 dpi: 36000 × 36000 px = 1296 megapixels. PNG refused, vector allowed.
    QVERIFY(o.setSizeString(QStringLiteral("15x15in")));
    o.dpi = 2400;
    const QString png = PlotExporter::validate(o, ExportFormat::Png);
    QVERIFY2(png.contains(QStringLiteral("1296 megapixels")) && png.contains(QStringLiteral("PDF or SVG")), qPrintable(png));
    QCOMPARE(PlotExporter::validate(o, ExportFormat::Pdf), QString());
    QCOMPARE(PlotExporter::validate(o, ExportFormat::Svg), QString());
    // At the limit: 10000 × 10000 px = 100 megapixels is accepted, one row more is not.
    o.setSizeString(QStringLiteral("10000x10000px"));
    QCOMPARE(PlotExporter::validate(o, ExportFormat::Png), QString());
    o.setSizeString(QStringLiteral("10000x10001px"));
    QVERIFY(!PlotExporter::validate(o, ExportFormat::Png).isEmpty());

    // The export dialog refuses it before writing, with the same advice, and renders no preview.
    const QString path = m_dir.filePath(QStringLiteral("huge.png"));
    Scenario s;
    RooflineView view(&s);
    const QString error = PlotExporter::exportPlot(&view, path, o);
    QVERIFY2(error.contains(QStringLiteral("PDF or SVG")), qPrintable(error));
    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(PlotExporter::renderImage(&view, o).isNull());
    WindowFixture f;
    ExportDialog *dialog = f.window.openExportDialog(false);
    dialog->setFormat(ExportFormat::Png);
    dialog->setOptions(o);
    dialog->updatePreview();
    QVERIFY(dialog->previewImage().isNull());  // no preview painted over the limit
    QVERIFY2(dialog->exportTo(path).contains(QStringLiteral("PDF or SVG")), "the dialog reports the limit");
    QVERIFY(!QFileInfo::exists(path));
    dialog->setFormat(ExportFormat::Pdf);
    const QString pdf = m_dir.filePath(QStringLiteral("huge.pdf"));
    QCOMPARE(dialog->exportTo(pdf), QString());
    QVERIFY(readAll(pdf).startsWith("%PDF"));
    dialog->close();
}

QTEST_MAIN(TestWriteFaults)
#include "tst_writefaults.moc"
