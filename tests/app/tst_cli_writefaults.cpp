// SPDX-License-Identifier: MIT
// The command line's writes under real faults: the real mla-studio executable runs with a file
// size limit (RLIMIT_FSIZE, SIGXFSZ ignored: a full disk without root) or into a missing or
// read-only folder. Each failure exits non-zero, names the path on stderr, and leaves every file
// that was there byte-for-byte unchanged.
#include "../ui/writefaults.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using writefaults::readAll;

namespace {

const QString kScenario = QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/scenarios/edge-bandwidth-starved.mlastudio.json");

struct Run {
    int code = -1;
    QString out;
    QString err;
};

// Runs mla-studio; with \p fileSizeLimit > 0, under that file size limit.
Run run(const QStringList &args, rlim_t fileSizeLimit = 0)
{
    QProcess p;
    if (fileSizeLimit > 0)
        p.setChildProcessModifier([fileSizeLimit] { writefaults::limitFileSizeInChild(fileSizeLimit); });
    p.start(QStringLiteral(MLASTUDIO_BINARY), args);
    if (!p.waitForFinished(120000))
        return {};
    if (p.exitStatus() != QProcess::NormalExit)
        return {-2, {}, QStringLiteral("crashed (signal)")};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

// Every file under \p dir with its bytes.
QMap<QString, QByteArray> snapshot(const QString &dir)
{
    QMap<QString, QByteArray> files;
    for (QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories); it.hasNext();) {
        const QString path = it.next();
        files.insert(QDir(dir).relativeFilePath(path), readAll(path));
    }
    return files;
}

} // namespace

class TestCliWriteFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exportToFullDisk_data();
    void exportToFullDisk();
    void exportDataToFullDisk_data();
    void exportDataToFullDisk();
    void figuresAndGalleryToFullDisk_data();
    void figuresAndGalleryToFullDisk();
    void missingFolder();
    void permissionDenied();
    void sizesRefused();

private:
    QTemporaryDir m_dir;
};

void TestCliWriteFaults::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo(QStringLiteral(MLASTUDIO_BINARY)).isExecutable(), "mla-studio must be built with the tests");
}

void TestCliWriteFaults::exportToFullDisk_data()
{
    QTest::addColumn<QString>("format");
    for (const char *format : {"pdf", "svg", "png"})
        QTest::newRow(format) << QString::fromLatin1(format);
}

void TestCliWriteFaults::exportToFullDisk()
{
    QFETCH(QString, format);
    const QString out = m_dir.filePath(QStringLiteral("fig.") + format);
    const QStringList args{QStringLiteral("export"), kScenario, QStringLiteral("--view"), QStringLiteral("roofline"),
                           QStringLiteral("--out"), out};
    Run r = run(args);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QByteArray good = readAll(out);
    QVERIFY(good.size() > 4000);

    r = run(args, 2048);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(out) && r.err.contains(QStringLiteral("File too large")), qPrintable(r.err));
    QVERIFY2(!r.out.contains(QStringLiteral("wrote")), qPrintable(r.out));
    QCOMPARE(readAll(out), good);
}

void TestCliWriteFaults::exportDataToFullDisk_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("csv") << QStringLiteral("csv");
    QTest::newRow("json") << QStringLiteral("json");
}

void TestCliWriteFaults::exportDataToFullDisk()
{
    QFETCH(QString, format);
    // A tiny PNG fits under the limit; the data behind it does not.
    const QString png = m_dir.filePath(QStringLiteral("tiny.png"));
    const QString data = m_dir.filePath(QStringLiteral("data.") + format);
    const QStringList args{QStringLiteral("export"), kScenario, QStringLiteral("--view"), QStringLiteral("roofline"),
                           QStringLiteral("--out"), png, QStringLiteral("--size"), QStringLiteral("1x1in"),
                           QStringLiteral("--dpi"), QStringLiteral("10"), QStringLiteral("--data"), data};
    Run r = run(args);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QByteArray good = readAll(data);
    const qint64 pngSize = QFileInfo(png).size();
    QVERIFY2(pngSize > 0 && pngSize * 2 < good.size(), "the premise: the figure is much smaller than its data");

    r = run(args, rlim_t(pngSize + good.size()) / 2);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(data) && r.err.contains(QStringLiteral("File too large")), qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("wrote ") + png) && !r.out.contains(QStringLiteral("wrote ") + data), qPrintable(r.out));
    QCOMPARE(readAll(data), good);
}

void TestCliWriteFaults::figuresAndGalleryToFullDisk_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("figures") << QStringLiteral("figures");
    QTest::newRow("gallery") << QStringLiteral("gallery");
}

void TestCliWriteFaults::figuresAndGalleryToFullDisk()
{
    QFETCH(QString, command);
    const QString dir = m_dir.filePath(command);
    // Small figures keep the run short; the vector files are still several kB each.
    const QStringList args{command, QStringLiteral("--out"), dir, QStringLiteral("--size"), QStringLiteral("2x1.5in"),
                           QStringLiteral("--dpi"), QStringLiteral("50")};
    Run r = run(args);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QMap<QString, QByteArray> before = snapshot(dir);
    QVERIFY(before.size() >= 10);

    r = run(args, 1024);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("Cannot write ") + dir) && r.err.contains(QStringLiteral("File too large")),
             qPrintable(r.err));
    QCOMPARE(snapshot(dir), before);  // every file byte for byte, and no temporary file left
}

void TestCliWriteFaults::missingFolder()
{
    const QString missing = m_dir.filePath(QStringLiteral("no/such/folder"));
    for (const QString &name : {QStringLiteral("f.pdf"), QStringLiteral("f.svg"), QStringLiteral("f.png")}) {
        const Run r = run({QStringLiteral("export"), kScenario, QStringLiteral("--view"), QStringLiteral("memory"),
                           QStringLiteral("--out"), missing + QLatin1Char('/') + name});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(missing + QLatin1Char('/') + name) && r.err.contains(QStringLiteral("does not exist")),
                 qPrintable(r.err));
    }
    const Run r = run({QStringLiteral("export"), kScenario, QStringLiteral("--view"), QStringLiteral("memory"),
                       QStringLiteral("--out"), m_dir.filePath(QStringLiteral("ok.svg")), QStringLiteral("--data"),
                       missing + QStringLiteral("/d.csv")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(missing + QStringLiteral("/d.csv")) && r.err.contains(QStringLiteral("does not exist")), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("no"))));
}

void TestCliWriteFaults::permissionDenied()
{
    if (!writefaults::permissionsApply())
        QSKIP("running as root, which ignores file permissions (the file size limit covers root)");
    const QString dir = m_dir.filePath(QStringLiteral("readonly"));
    QVERIFY(QDir().mkpath(dir));
    const QString out = dir + QStringLiteral("/fig.pdf");
    const QStringList args{QStringLiteral("export"), kScenario, QStringLiteral("--view"), QStringLiteral("roofline"),
                           QStringLiteral("--out"), out};
    QCOMPARE(run(args).code, 0);
    const QByteArray good = readAll(out);
    QVERIFY(QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    const Run r = run(args);
    const Run figures = run({QStringLiteral("figures"), QStringLiteral("--out"), dir});
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(out) && r.err.contains(QStringLiteral("permission denied")), qPrintable(r.err));
    QCOMPARE(figures.code, 1);
    QVERIFY2(figures.err.contains(QStringLiteral("permission denied")), qPrintable(figures.err));
    QCOMPARE(readAll(out), good);
}

void TestCliWriteFaults::sizesRefused()
{
    const QString out = m_dir.filePath(QStringLiteral("refused.png"));
    const auto exportWith = [&](const QString &size, const QString &dpi, const QString &path) {
        return run({QStringLiteral("export"), kScenario, QStringLiteral("--view"), QStringLiteral("roofline"),
                    QStringLiteral("--out"), path, QStringLiteral("--size"), size, QStringLiteral("--dpi"), dpi});
    };
    for (const QString &size : {QStringLiteral("0x0px"), QStringLiteral("0x2in"), QStringLiteral("-4x3in")}) {
        const Run r = exportWith(size, QStringLiteral("300"), out);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--size")) && r.err.contains(size) && r.err.contains(QStringLiteral("greater than 0")),
                 qPrintable(r.err));
    }
    Run r = exportWith(QStringLiteral("15x15in"), QStringLiteral("2400"), out);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("36000 × 36000")) && r.err.contains(QStringLiteral("PDF or SVG")), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(out));
    // The same size as a vector file is fine.
    const QString pdf = m_dir.filePath(QStringLiteral("large.pdf"));
    r = exportWith(QStringLiteral("15x15in"), QStringLiteral("2400"), pdf);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(readAll(pdf).startsWith("%PDF"));
    // figures and gallery include PNG: refused before any file is written.
    const QString dir = m_dir.filePath(QStringLiteral("refused-figures"));
    r = run({QStringLiteral("figures"), QStringLiteral("--out"), dir, QStringLiteral("--size"), QStringLiteral("15x15in"),
             QStringLiteral("--dpi"), QStringLiteral("2400")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("PDF or SVG")), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(dir));
}

QTEST_MAIN(TestCliWriteFaults)
#include "tst_cli_writefaults.moc"
