#include "engine/file_type.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace jingsai::engine {
namespace {

using namespace std::string_literals;

// ---- Real file headers --------------------------------------------------

std::string Jpeg() {
  // SOI, APP0 "JFIF" 1.01, then the start of a quantization table.
  return "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"
         "\xFF\xDB\x00\x43\x00\x08\x06\x06"s;
}

std::string ExifJpeg() {
  return "\xFF\xD8\xFF\xE1\x1C\x45"
         "Exif\x00\x00MM\x00\x2A"s;
}

std::string Png() {
  // Signature, then the IHDR chunk of a 1x1 RGBA image.
  return "\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
         "\x00\x1F\x15\xC4\x89"s;
}

std::string Pdf(std::string version = "1.4") {
  return "%PDF-" + version + "\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
}

uint32_t Crc32(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void Put16(std::string& out, uint32_t value) {
  out += static_cast<char>(value & 0xFF);
  out += static_cast<char>((value >> 8) & 0xFF);
}

void Put32(std::string& out, uint32_t value) {
  Put16(out, value & 0xFFFF);
  Put16(out, value >> 16);
}

// A complete ZIP archive of stored (uncompressed) entries: local file
// headers with their data, the central directory, and its end record.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string archive;
  std::string directory;
  for (const auto& [name, data] : entries) {
    const uint32_t offset = static_cast<uint32_t>(archive.size());
    const uint32_t crc = Crc32(data);
    const uint32_t size = static_cast<uint32_t>(data.size());
    archive += "PK\x03\x04"s;
    Put16(archive, 20);      // version needed
    Put16(archive, 0);       // flags
    Put16(archive, 0);       // method: stored
    Put16(archive, 0x6000);  // time
    Put16(archive, 0x4522);  // date
    Put32(archive, crc);
    Put32(archive, size);
    Put32(archive, size);
    Put16(archive, static_cast<uint32_t>(name.size()));
    Put16(archive, 0);
    archive += name;
    archive += data;

    directory += "PK\x01\x02"s;
    Put16(directory, 20);  // version made by
    Put16(directory, 20);
    Put16(directory, 0);
    Put16(directory, 0);
    Put16(directory, 0x6000);
    Put16(directory, 0x4522);
    Put32(directory, crc);
    Put32(directory, size);
    Put32(directory, size);
    Put16(directory, static_cast<uint32_t>(name.size()));
    Put16(directory, 0);  // extra
    Put16(directory, 0);  // comment
    Put16(directory, 0);  // disk
    Put16(directory, 0);  // internal attributes
    Put32(directory, 0);  // external attributes
    Put32(directory, offset);
    directory += name;
  }
  const uint32_t directory_offset = static_cast<uint32_t>(archive.size());
  archive += directory;
  archive += "PK\x05\x06"s;
  Put16(archive, 0);
  Put16(archive, 0);
  Put16(archive, static_cast<uint32_t>(entries.size()));
  Put16(archive, static_cast<uint32_t>(entries.size()));
  Put32(archive, static_cast<uint32_t>(directory.size()));
  Put32(archive, directory_offset);
  Put16(archive, 0);
  return archive;
}

const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="xml" ContentType="application/xml"/></Types>)";
const char* kRels = R"(<?xml version="1.0" encoding="UTF-8"?><Relationships )"
                    R"(xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>)";

std::string Docx() {
  return Zip({{"[Content_Types].xml", kContentTypes},
              {"_rels/.rels", kRels},
              {"word/document.xml", "<w:document><w:body><w:p/></w:body></w:document>"},
              {"docProps/core.xml", "<cp:coreProperties/>"}});
}

std::string Xlsx() {
  return Zip({{"[Content_Types].xml", kContentTypes},
              {"_rels/.rels", kRels},
              {"xl/workbook.xml", "<workbook><sheets/></workbook>"},
              {"xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>"}});
}

std::string Elf() {
  return "\x7F"
         "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3E\x00"s;
}

std::string WindowsExecutable() {
  std::string bytes = "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00"s;
  bytes += "This program cannot be run in DOS mode.\r\r\n$";
  bytes += "PE\x00\x00\x4C\x01\x03\x00"s;
  return bytes;
}

// ---- SniffContentType ----------------------------------------------------

TEST(FileType, RecognizesImages) {
  EXPECT_EQ(SniffContentType(Jpeg()), "image/jpeg");
  EXPECT_EQ(SniffContentType(ExifJpeg()), "image/jpeg");
  EXPECT_EQ(SniffContentType(Png()), "image/png");
}

TEST(FileType, RecognizesPdfOfAnyVersion) {
  EXPECT_EQ(SniffContentType(Pdf("1.4")), "application/pdf");
  EXPECT_EQ(SniffContentType(Pdf("1.7")), "application/pdf");
  EXPECT_EQ(SniffContentType(Pdf("2.0")), "application/pdf");
}

TEST(FileType, RecognizesOfficeDocumentsByTheirParts) {
  EXPECT_EQ(SniffContentType(Docx()),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(SniffContentType(Xlsx()),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

TEST(FileType, TypeDoesNotDependOnWhatFollowsTheHeader) {
  std::string padded = Jpeg() + std::string(4096, '\0') + "\xFF\xD9"s;
  EXPECT_EQ(SniffContentType(padded), "image/jpeg");
  EXPECT_EQ(SniffContentType(Png() + Elf()), "image/png");
}

TEST(FileType, RefusesExecutables) {
  EXPECT_EQ(SniffContentType(Elf()), std::nullopt);
  EXPECT_EQ(SniffContentType(WindowsExecutable()), std::nullopt);
  EXPECT_EQ(SniffContentType("#!/bin/sh\nrm -rf \"$HOME\"\n"), std::nullopt);
  EXPECT_EQ(SniffContentType("#!/usr/bin/env python3\nprint('hi')\n"), std::nullopt);
}

TEST(FileType, RefusesAnExecutableCarryingAnAcceptedSignatureLater) {
  EXPECT_EQ(SniffContentType(Elf() + Pdf()), std::nullopt);
  EXPECT_EQ(SniffContentType(WindowsExecutable() + Jpeg()), std::nullopt);
  EXPECT_EQ(SniffContentType(" " + Pdf()), std::nullopt);
}

TEST(FileType, RefusesMarkupAndText) {
  EXPECT_EQ(
      SniffContentType("<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>"),
      std::nullopt);
  EXPECT_EQ(SniffContentType("<html><head><title>报告</title></head></html>"), std::nullopt);
  EXPECT_EQ(SniffContentType("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            std::nullopt);
  EXPECT_EQ(SniffContentType("2014年劳动竞赛工作总结"), std::nullopt);
  EXPECT_EQ(SniffContentType("%pdf-1.4\n"), std::nullopt);  // signatures are case-sensitive
}

TEST(FileType, RefusesZipsThatAreNotWordOrExcelFiles) {
  EXPECT_EQ(SniffContentType(Zip({{"readme.txt", "hello"}, {"photos/a.jpg", Jpeg()}})),
            std::nullopt);
  // Office Open XML, but a presentation: not among the accepted types.
  EXPECT_EQ(SniffContentType(Zip({{"[Content_Types].xml", kContentTypes},
                                  {"ppt/presentation.xml", "<p:presentation/>"}})),
            std::nullopt);
  // Word parts without the content types part are not a Word file.
  EXPECT_EQ(SniffContentType(Zip({{"word/document.xml", "<w:document/>"}})), std::nullopt);
  // An empty archive is the end record alone.
  EXPECT_EQ(SniffContentType(Zip({})), std::nullopt);
  // Only the archive's index counts: a file whose text names Office parts
  // does not make a Word file.
  EXPECT_EQ(SniffContentType(
                Zip({{"notes.txt", "[Content_Types].xml word/document.xml"}, {"run.sh", "#!"}})),
            std::nullopt);
  // A truncated archive has no index to read.
  const std::string docx = Docx();
  EXPECT_EQ(SniffContentType(docx.substr(0, docx.size() - 10)), std::nullopt);
}

TEST(FileType, RefusesEmptyAndTruncatedHeaders) {
  EXPECT_EQ(SniffContentType(""), std::nullopt);
  EXPECT_EQ(SniffContentType("\xFF"), std::nullopt);
  EXPECT_EQ(SniffContentType("\xFF\xD8"), std::nullopt);
  EXPECT_EQ(SniffContentType("\x89PNG\r\n\x1A"), std::nullopt);
  EXPECT_EQ(SniffContentType("\x89PNG"), std::nullopt);
  EXPECT_EQ(SniffContentType("%PDF"), std::nullopt);
  EXPECT_EQ(SniffContentType("PK\x03"), std::nullopt);
  EXPECT_EQ(SniffContentType("PK\x03\x04"), std::nullopt);
  EXPECT_EQ(SniffContentType("\x00"s), std::nullopt);
  EXPECT_EQ(SniffContentType(Docx().substr(0, 30)), std::nullopt);  // before any entry name
}

TEST(FileType, HeaderMustBeExact) {
  std::string png = Png();
  png[4] = '\n';  // a PNG signature altered by a text-mode transfer
  EXPECT_EQ(SniffContentType(png), std::nullopt);
  EXPECT_EQ(SniffContentType("\xFF\xD9\xFF\xE0"), std::nullopt);
  EXPECT_EQ(SniffContentType("PK\x05\x06" + std::string(18, '\0')), std::nullopt);
}

// ---- IsAllowedForKind and IsKnownEvidenceKind -----------------------------

TEST(FileType, PhotosAreOnlyJpegOrPng) {
  EXPECT_TRUE(IsAllowedForKind("photo", kTypeJpeg));
  EXPECT_TRUE(IsAllowedForKind("photo", kTypePng));
  EXPECT_FALSE(IsAllowedForKind("photo", kTypePdf));
  EXPECT_FALSE(IsAllowedForKind("photo", kTypeDocx));
  EXPECT_FALSE(IsAllowedForKind("photo", kTypeXlsx));
  EXPECT_FALSE(IsAllowedForKind("photo", "image/gif"));
  EXPECT_FALSE(IsAllowedForKind("photo", ""));
}

TEST(FileType, OtherKindsTakeEveryAcceptedType) {
  for (std::string_view kind : {"document", "certificate", "patent_receipt"}) {
    for (std::string_view type : {kTypeJpeg, kTypePng, kTypePdf, kTypeDocx, kTypeXlsx}) {
      EXPECT_TRUE(IsAllowedForKind(kind, type)) << kind << " " << type;
    }
  }
}

TEST(FileType, UnknownKindsTakeNothing) {
  for (std::string_view kind : {"", "video", "Photo", "photo ", "documents"}) {
    EXPECT_FALSE(IsKnownEvidenceKind(kind)) << kind;
    EXPECT_FALSE(IsAllowedForKind(kind, kTypeJpeg)) << kind;
    EXPECT_FALSE(IsAllowedForKind(kind, kTypePdf)) << kind;
  }
}

TEST(FileType, KnowsTheFourEvidenceKinds) {
  for (std::string_view kind : {"photo", "document", "certificate", "patent_receipt"}) {
    EXPECT_TRUE(IsKnownEvidenceKind(kind)) << kind;
  }
}

TEST(FileType, SniffedTypesAreTheAcceptedOnes) {
  // What the sniffer answers is what the kind check understands.
  EXPECT_TRUE(IsAllowedForKind("photo", *SniffContentType(Jpeg())));
  EXPECT_TRUE(IsAllowedForKind("photo", *SniffContentType(Png())));
  EXPECT_FALSE(IsAllowedForKind("photo", *SniffContentType(Pdf())));
  EXPECT_FALSE(IsAllowedForKind("photo", *SniffContentType(Docx())));
  EXPECT_TRUE(IsAllowedForKind("certificate", *SniffContentType(Xlsx())));
}

}  // namespace
}  // namespace jingsai::engine
