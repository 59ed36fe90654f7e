/**
 * A stand-in for office.js inside Excel, served in its place so the add-in's own adapter (`src/addin/office.ts`)
 * runs unchanged above it. It provides only what the add-in touches: `Office.onReady` (host Excel),
 * `Office.context.requirements` (ExcelApi up to `excelApi`) and `officeTheme`, `CustomFunctions` (which the shared
 * runtime provides in Excel), `OfficeRuntime.storage`, and `Excel.run` over a workbook that starts with one sheet,
 * Sheet1, whose active cell is B4: its worksheets, their used ranges, `Range.setDirty`/`calculate`, and the
 * application's `calculationMode` and `calculate`.
 *
 * The selection: `window.__excelSelect("C6")` makes a Sheet1 cell the active cell and fires the handlers registered
 * with `workbook.onSelectionChanged`; the active cell reports its formula, what it shows (`values`, from
 * `host.values` for a formula cell, the constant otherwise) and, from ExcelApi 1.12, its spill parent (`host.spills`:
 * a spilled cell → the cell whose formula spills there). `worksheets.getItem(…).getRange(…).load("values")` reads cells.
 *
 * Like Excel, queued commands take effect only at `context.sync()`, loaded properties are readable only after it,
 * and a 2-D array must match its range's size. What the host saw is in `window.__excelHost` (`ExcelHostState`):
 * Sheet1's writes and cells, every sync, every calculation, the ranges marked dirty and calculated, the worksheets
 * added (their cells, number formats, formats, column widths, frozen panes and the syncs that wrote them), the stored
 * settings; a test sets `calculationMode`, `excelApi` and `storageFails` there to play another Excel.
 * `window.__excelFunctions` holds the functions the bundle associated, by id, to be called as Excel calls them.
 *
 * For Link this workbook, `window.__excelHostSeed(name, cells, numberFormats, values)` adds a sheet as an analyst left
 * it (constants, and formulas with the values Excel showed for them); the worksheets collection loads its items, each
 * sheet's used range reads values, formulas, number formats and value types, and single cells read and write formulas
 * (`ExcelHostState.cellWrites` lists those writes).
 *
 * Plain JavaScript text: it runs in the page before the bundles.
 */
export interface StubWorksheet {
  name: string;
  /** Address → formula or constant, as written through `Range.formulas`. */
  cells: Record<string, string | number>;
  /** Address → number format, as written through `Range.numberFormat` (General included). */
  numberFormats: Record<string, string>;
  /** Address → the value Excel shows for a formula cell (seeded sheets); constants show themselves. */
  values?: Record<string, string | number | boolean>;
  /** Format properties set, in order: `{ address: "A6:A9", property: "font.bold", value: true }`. */
  formats: { address: string; property: string; value: unknown }[];
  /** Whole-column range (`A:A`) → width in points. */
  columnWidths: Record<string, number>;
  /** How the panes were frozen: `at A1:B5`, `rows 3`, `columns 1`, or null. */
  frozen: string | null;
  /** Whole columns hidden (`Range.columnHidden`), and those grouped (`Range.group`, ExcelApi 1.10). */
  hiddenColumns: string[];
  grouped: string[];
  /** Print settings set through `pageLayout` (ExcelApi 1.9) and page breaks added before cells. */
  print: { orientation?: string; zoom?: { horizontalFitToPages?: number; verticalFitToPages?: number }; titleRows?: string; area?: string; breaksBefore: string[] };
  /** Notes added through `worksheet.notes` (ExcelApi 1.18). */
  notes: { address: string; text: string }[];
  /** The syncs (numbered from 1 over the session) in which commands touched this sheet. */
  syncs: number[];
}

export interface ExcelHostState {
  /** Sheet1 as address → formula or value. */
  cells: Record<string, string | number>;
  writes: { address: string; formula: string }[];
  reads: string[];
  /** How many `context.sync()` calls the add-in made. */
  syncs: number;
  /** `Application.calculate` calls, by type ("Full", "Recalculate", …). */
  calculations: string[];
  /** Ranges marked with `Range.setDirty`, as `Sheet!A1:B2`, in order. */
  dirtied: string[];
  /** Ranges calculated with `Range.calculate`, as `Sheet!A1:B2`, in order. */
  rangeCalculations: string[];
  /** Excel's calculation mode as `Application.calculationMode` reports it ("Automatic", "Manual", …). */
  calculationMode: string;
  /** The highest ExcelApi requirement set this "Excel" supports, as 1.8, 1.9, 1.12 (1.9 has `Range.setDirty`, 1.12 spills). */
  excelApi: number;
  /** What Sheet1's formula cells show (address → value), as a test sets it; constants show themselves. */
  values: Record<string, string | number | boolean>;
  /** Spilled cells of Sheet1 → the cell whose formula spills there. */
  spills: Record<string, string>;
  /** How many selection-changed handlers the add-in registered. */
  selectionHandlers: number;
  /** What the add-in stored with `OfficeRuntime.storage`. */
  storage: Record<string, string>;
  /** When set, `OfficeRuntime.storage` rejects with this message. */
  storageFails: string | null;
  /**
   * How many times the stub ran a QFIN function because a calculation covered its cell (Range.calculate, a full
   * calculation). It runs the function the formula names, without evaluating its arguments: the add-in only needs to
   * see Excel run it. With `ignoresCalculation` set it runs none, as an Excel whose calculation skipped them would.
   */
  functionRuns: number;
  ignoresCalculation: boolean;
  /** Worksheets other than Sheet1, in workbook order. */
  sheets: StubWorksheet[];
  activeSheet: string;
  /** Formulas written into single cells of any sheet (`Sheet!C6`), in order, with the sync that wrote them. */
  cellWrites: { address: string; formula: string | number; sync: number }[];
}

export const EXCEL_HOST_STUB = String.raw`
(function () {
  var host = { cells: {}, writes: [], reads: [], syncs: 0, calculations: [], dirtied: [], rangeCalculations: [], calculationMode: "Automatic", excelApi: 1.12, values: {}, spills: {}, selectionHandlers: 0, storage: {}, storageFails: null, functionRuns: 0, ignoresCalculation: false, sheets: [], activeSheet: "Sheet1", cellWrites: [] };
  window.__excelHost = host;
  // A test plays another Excel across a reload by leaving its settings in sessionStorage (calculationMode, excelApi, …).
  try { Object.assign(host, JSON.parse(window.sessionStorage.getItem("__excelHostConfig") || "{}")); } catch (error) { /* defaults */ }
  var sheetNames = ["Sheet1"]; // workbook order, Sheet1 included
  var ACTIVE = { row: 3, column: 1 }; // B4
  /** Requirement-set versions compare by their minor number: 1.12 is after 1.9. */
  function apiAtLeast(version) { var minor = function (v) { return Number(String(v).split(".")[1] || 0); }; return minor(host.excelApi) >= minor(version); }
  var selectionHandlers = [];
  window.__excelSelect = function (address) {
    var position = parseRange(address);
    ACTIVE = { row: position.row, column: position.column };
    selectionHandlers.forEach(function (handler) { handler({ type: "SelectionChanged" }); });
  };
  /** What a Sheet1 cell shows: the value a test gave a formula cell, else its constant. */
  function shownValue(address) {
    if (Object.prototype.hasOwnProperty.call(host.values, address)) return host.values[address];
    var content = host.cells[address];
    return content === undefined || (typeof content === "string" && content.charAt(0) === "=") ? "" : content;
  }
  function columnName(index) {
    var name = "";
    for (var n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    return name;
  }
  function columnIndex(letters) {
    var index = 0;
    for (var i = 0; i < letters.length; i++) index = index * 26 + (letters.charCodeAt(i) - 64);
    return index - 1;
  }
  function cellAddress(row, column) { return columnName(column) + (row + 1); }
  /** "C4" or "A1:J84" → { row, column, rows, columns } (0-based). */
  function parseRange(address) {
    var match = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(address);
    if (!match) throw new Error("stub: not a cell range: " + address);
    var row = Number(match[2]) - 1, column = columnIndex(match[1]);
    var lastRow = match[4] ? Number(match[4]) - 1 : row, lastColumn = match[3] ? columnIndex(match[3]) : column;
    return { row: row, column: column, rows: lastRow - row + 1, columns: lastColumn - column + 1 };
  }
  function checkShape(values, area, what) {
    if (!Array.isArray(values) || values.length !== area.rows || values.some(function (line) { return !Array.isArray(line) || line.length !== area.columns; })) {
      throw new Error("stub: the " + what + " array is not " + area.rows + " × " + area.columns + " like its range (Excel: InvalidArgument)");
    }
  }
  function sheetNamed(name) {
    for (var i = 0; i < host.sheets.length; i++) if (host.sheets[i].name === name) return host.sheets[i];
    return null;
  }

  // ---- Sheet1 and the active cell (the pane's Insert) ----------------------------------------------------------
  function activeRange(row, column, rows, columns, pending) {
    var loaded = {};
    var self = {
      load: function (what) {
        pending.push(function () {
          var first = cellAddress(row, column);
          var last = cellAddress(row + rows - 1, column + columns - 1);
          loaded.address = "Sheet1!" + (first === last ? first : first + ":" + last);
          var formulas = [];
          for (var r = 0; r < rows; r++) {
            var line = [];
            for (var c = 0; c < columns; c++) line.push(host.cells[cellAddress(row + r, column + c)] || "");
            formulas.push(line);
          }
          loaded.formulas = formulas;
          loaded.values = formulas.map(function (line, r) { return line.map(function (_f, c) { return shownValue(cellAddress(row + r, column + c)); }); });
          loaded.rowIndex = row;
          loaded.columnIndex = column;
          host.reads.push(loaded.address + " " + what);
        });
        return self;
      },
      getResizedRange: function (deltaRows, deltaColumns) { return activeRange(row, column, rows + deltaRows, columns + deltaColumns, pending); },
      getSpillParentOrNullObject: function () {
        if (!apiAtLeast("1.12")) throw new Error("stub: Range.getSpillParentOrNullObject needs ExcelApi 1.12");
        var parent = { isNullObject: true };
        var result = {
          load: function () {
            pending.push(function () {
              var anchor = host.spills[cellAddress(row, column)];
              if (!anchor) { parent = { isNullObject: true }; return; }
              var position = parseRange(anchor);
              parent = { isNullObject: false, address: "Sheet1!" + anchor, formulas: [[host.cells[anchor] || ""]], rowIndex: position.row, columnIndex: position.column };
            });
            return result;
          }
        };
        ["isNullObject", "address", "formulas", "rowIndex", "columnIndex"].forEach(function (property) {
          Object.defineProperty(result, property, { get: function () { return parent[property]; } });
        });
        return result;
      }
    };
    ["values", "rowIndex", "columnIndex"].forEach(function (property) {
      Object.defineProperty(self, property, { get: function () { if (loaded[property] === undefined) throw new Error(property + " read before load + sync"); return loaded[property]; } });
    });
    Object.defineProperty(self, "address", { get: function () { if (!loaded.address) throw new Error("address read before load + sync"); return loaded.address; } });
    Object.defineProperty(self, "formulas", {
      get: function () { if (!loaded.formulas) throw new Error("formulas read before load + sync"); return loaded.formulas; },
      set: function (values) {
        pending.push(function () {
          values.forEach(function (line, r) { line.forEach(function (value, c) {
            var address = cellAddress(row + r, column + c);
            host.cells[address] = value;
            host.writes.push({ address: "Sheet1!" + address, formula: value });
          }); });
        });
      }
    });
    return self;
  }

  // ---- Worksheets the add-in adds (Insert model) ---------------------------------------------------------------
  /** Records every property set below a format object (font.bold, borders.EdgeTop.style, columnWidth …). */
  function formatRecorder(record, address, path, pending) {
    return new Proxy({}, {
      get: function (_target, property) {
        if (property === "borders") return { getItem: function (edge) { return formatRecorder(record, address, path + "borders." + edge + ".", pending); } };
        if (property === "font" || property === "fill") return formatRecorder(record, address, path + property + ".", pending);
        throw new Error("stub: reading format property " + path + String(property) + " is not supported");
      },
      set: function (_target, property, value) {
        pending.push(function () {
          var name = path + String(property);
          if (name === "columnWidth") {
            if (!/^[A-Z]+:[A-Z]+$/.test(address)) throw new Error("stub: column widths are set on whole columns here, not " + address);
            record.columnWidths[address] = value;
          } else {
            record.formats.push({ address: address, property: name, value: value });
          }
        });
        return true;
      }
    });
  }
  function sheetRange(record, address, pending) {
    var whole = /^[A-Z]+:[A-Z]+$/.test(address);
    var wholeRows = /^\d+:\d+$/.test(address);
    var area = whole || wholeRows ? null : parseRange(address);
    function eachCell(values, store) {
      values.forEach(function (line, r) { line.forEach(function (value, c) { store[cellAddress(area.row + r, area.column + c)] = value; }); });
    }
    var self = { address: address, format: formatRecorder(record, address, "", pending), _record: record };
    Object.defineProperty(self, "formulas", { set: function (values) {
      pending.push(function () { checkShape(values, area, "formulas"); eachCell(values, record.cells); });
    } });
    Object.defineProperty(self, "numberFormat", { set: function (values) {
      pending.push(function () { checkShape(values, area, "numberFormat"); eachCell(values, record.numberFormats); });
    } });
    Object.defineProperty(self, "columnHidden", { set: function (hidden) {
      pending.push(function () {
        if (!whole) throw new Error("stub: columns are hidden as whole columns here, not " + address);
        if (hidden) record.hiddenColumns.push(address);
      });
    } });
    if (apiAtLeast("1.10")) {
      self.group = function (option) {
        pending.push(function () {
          if (option !== "ByColumns" || !whole) throw new Error("stub: only whole columns are grouped by columns here, not " + address + " " + option);
          record.grouped.push(address);
        });
      };
    }
    return self;
  }
  function worksheetProxy(record, pending) {
    var touch = function () { pending.push(function (sync) { if (record.syncs.indexOf(sync) < 0) record.syncs.push(sync); }); };
    var self = {
      getRange: function (address) { touch(); return sheetRange(record, address, pending); },
      freezePanes: {
        freezeAt: function (range) { touch(); pending.push(function () { record.frozen = "at " + (typeof range === "string" ? range : range.address); }); },
        freezeRows: function (count) { touch(); pending.push(function () { record.frozen = "rows " + count; }); },
        freezeColumns: function (count) { touch(); pending.push(function () { record.frozen = "columns " + count; }); }
      },
      activate: function () { pending.push(function () { host.activeSheet = record.name; }); },
      horizontalPageBreaks: apiAtLeast("1.9") ? { add: function (cell) { touch(); pending.push(function () { record.print.breaksBefore.push(cell); }); } } : undefined,
      notes: apiAtLeast("1.18") ? { add: function (address, text) { touch(); pending.push(function () { record.notes.push({ address: address, text: text }); }); } } : undefined,
      delete: function () {
        pending.push(function () {
          if (sheetNames.length === 1) throw new Error("stub: a workbook must keep at least one sheet");
          sheetNames.splice(sheetNames.indexOf(record.name), 1);
          host.sheets.splice(host.sheets.indexOf(record), 1);
        });
      }
    };
    if (apiAtLeast("1.9")) {
      var layout = {
        setPrintTitleRows: function (rows) { touch(); pending.push(function () { record.print.titleRows = rows; }); },
        setPrintArea: function (area) { touch(); pending.push(function () { record.print.area = area; }); }
      };
      Object.defineProperty(layout, "orientation", { set: function (value) { touch(); pending.push(function () { record.print.orientation = value; }); } });
      Object.defineProperty(layout, "zoom", { set: function (value) { touch(); pending.push(function () { record.print.zoom = value; }); } });
      self.pageLayout = layout;
    }
    Object.defineProperty(self, "name", {
      get: function () { return record.name; },
      set: function (name) {
        pending.push(function () {
          if (sheetNames.indexOf(name) >= 0) throw new Error("stub: a sheet named " + name + " already exists");
          sheetNames[sheetNames.indexOf(record.name)] = name;
          record.name = name;
        });
      }
    });
    return self;
  }
  /** A sheet's cells (address → formula or value): Sheet1's or an added sheet's. */
  function cellsOf(name) {
    return recordNamed(name).cells;
  }
  /** Sheet1 as a record like the others (its cells are host.cells). */
  function recordNamed(name) {
    if (name === "Sheet1") return { name: "Sheet1", cells: host.cells, numberFormats: {}, values: {} };
    var record = sheetNamed(name);
    if (!record) throw new Error("stub: no sheet named " + name);
    return record;
  }
  /** What Excel shows in a cell: a formula's seeded value (seeded sheets), a constant itself. */
  function valueOf(record, address) {
    var content = record.cells[address];
    if (typeof content === "string" && content.charAt(0) === "=") return record.values && address in record.values ? record.values[address] : "";
    return content === undefined ? "" : content;
  }
  /** The bounding block of a sheet's non-empty cells (0-based), or null. */
  function usedExtent(record) {
    var cells = record.cells;
    var positions = Object.keys(cells).filter(function (address) { return cells[address] !== ""; }).map(parseRange);
    if (positions.length === 0) return null;
    var top = Infinity, left = Infinity, bottom = -1, right = -1;
    positions.forEach(function (p) { top = Math.min(top, p.row); left = Math.min(left, p.column); bottom = Math.max(bottom, p.row); right = Math.max(right, p.column); });
    return { top: top, left: left, bottom: bottom, right: right };
  }
  /** A loadable block of a sheet (0-based, inclusive): its values, formulas, number formats and value types. */
  function blockRange(name, extent, what, pending) {
    var loaded = null;
    var self = {
      load: function () {
        pending.push(function () {
          var record = recordNamed(name);
          var cells = record.cells;
          if (extent === null) extent = usedExtent(record);
          if (extent === null) { loaded = { isNullObject: true }; return; }
          var values = [], formulas = [], formats = [], types = [];
          for (var r = extent.top; r <= extent.bottom; r++) {
            var v = [], f = [], n = [], t = [];
            for (var c = extent.left; c <= extent.right; c++) {
              var address = cellAddress(r, c);
              var value = valueOf(record, address);
              var content = cells[address];
              v.push(value);
              f.push(content === undefined ? "" : content);
              n.push((record.numberFormats && record.numberFormats[address]) || "General");
              t.push(value === "" ? "Empty" : typeof value === "number" ? "Double" : typeof value === "boolean" ? "Boolean" : "String");
            }
            values.push(v); formulas.push(f); formats.push(n); types.push(t);
          }
          var first = cellAddress(extent.top, extent.left), last = cellAddress(extent.bottom, extent.right);
          loaded = {
            isNullObject: false, rowIndex: extent.top, columnIndex: extent.left, rowCount: extent.bottom - extent.top + 1, columnCount: extent.right - extent.left + 1,
            address: "'" + name.replace(/'/g, "''") + "'!" + first + (first === last ? "" : ":" + last), values: values, formulas: formulas, numberFormat: formats, valueTypes: types
          };
          host.reads.push(name + "!" + first + ":" + last + " " + what);
        });
        return self;
      }
    };
    ["isNullObject", "rowIndex", "columnIndex", "rowCount", "columnCount", "address", "values", "formulas", "numberFormat", "valueTypes"].forEach(function (property) {
      Object.defineProperty(self, property, { get: function () {
        if (!loaded) throw new Error(property + " read before load + sync");
        if (loaded.isNullObject && property !== "isNullObject") throw new Error("stub: the used range of " + name + " is a null object");
        return loaded[property];
      } });
    });
    return self;
  }
  /** The used range of a sheet, as Excel reports it: the bounding block of its non-empty cells, or a null object. */
  function usedRange(name, pending) { return blockRange(name, null, "used range", pending); }
  /** worksheet.getRangeByIndexes: a block by 0-based position and size. */
  function rangeByIndexes(name, row, column, rows, columns, pending) {
    if (rows < 1 || columns < 1) throw new Error("stub: getRangeByIndexes with no cells");
    return blockRange(name, { top: row, left: column, bottom: row + rows - 1, right: column + columns - 1 }, "block", pending);
  }
  /** Runs the QFIN function each of these cells calls, after the sync, as Excel calculates after a batch. */
  function runQfinCells(formulas) {
    if (host.ignoresCalculation) return;
    setTimeout(function () {
      formulas.forEach(function (formula) {
        var match = typeof formula === "string" ? /QFIN[._]([A-Za-z]+)\s*\(/i.exec(formula) : null;
        var implementation = match && window.__excelFunctions[match[1].toUpperCase()];
        if (!implementation) return;
        host.functionRuns++;
        try { implementation(); } catch (error) { /* a function given no arguments may complain; it ran */ }
      });
    }, 0);
  }
  function formulasIn(name, address) {
    var cells = cellsOf(name), area = parseRange(address), found = [];
    for (var r = 0; r < area.rows; r++) for (var c = 0; c < area.columns; c++) found.push(cells[cellAddress(area.row + r, area.column + c)]);
    return found;
  }
  function everyFormula() {
    return sheetNames.reduce(function (all, name) { var cells = cellsOf(name); return all.concat(Object.keys(cells).map(function (address) { return cells[address]; })); }, []);
  }
  /**
   * A range of a sheet: to mark dirty and calculate (what the add-in does after new data is applied), and, for one
   * cell, to read and write its formula (Link this workbook).
   */
  function workbookRange(name, address, pending) {
    parseRange(address);
    var loaded = null;
    var loadedValues = null;
    var self = {
      load: function () {
        pending.push(function () {
          var cells = cellsOf(name), area = parseRange(address), values = [], formulas = [];
          for (var r = 0; r < area.rows; r++) {
            var line = [], formulaLine = [];
            for (var c = 0; c < area.columns; c++) {
              var at = cellAddress(area.row + r, area.column + c);
              line.push(name === "Sheet1" ? shownValue(at) : (cells[at] === undefined ? "" : cells[at]));
              formulaLine.push(cells[at] === undefined ? "" : cells[at]);
            }
            values.push(line);
            formulas.push(formulaLine);
          }
          loadedValues = values;
          loaded = formulas;
          host.reads.push(name + "!" + address + " values");
        });
        return self;
      },
      setDirty: function () {
        if (!apiAtLeast("1.9")) throw new Error("stub: Range.setDirty needs ExcelApi 1.9");
        pending.push(function () { cellsOf(name); host.dirtied.push(name + "!" + address); });
      },
      calculate: function () { pending.push(function () { host.rangeCalculations.push(name + "!" + address); runQfinCells(formulasIn(name, address)); }); }
    };
    Object.defineProperty(self, "formulas", {
      get: function () { if (!loaded) throw new Error("formulas read before load + sync"); return loaded; },
      set: function (values) {
        pending.push(function (sync) {
          if (!Array.isArray(values) || values.length !== 1 || values[0].length !== 1) throw new Error("stub: one cell takes a 1 × 1 array");
          cellsOf(name)[address] = values[0][0];
          host.cellWrites.push({ address: name + "!" + address, formula: values[0][0], sync: sync });
        });
      }
    });
    Object.defineProperty(self, "values", { get: function () { if (!loadedValues) throw new Error("values read before load + sync"); return loadedValues; } });
    return self;
  }
  window.__excelHostSeed = function (name, cells, numberFormats, values) {
    var record = { name: name, cells: cells, numberFormats: numberFormats || {}, values: values || {}, formats: [], columnWidths: {}, frozen: null, hiddenColumns: [], grouped: [], print: { breaksBefore: [] }, notes: [], syncs: [] };
    sheetNames.push(name);
    host.sheets.push(record);
  };
  function worksheets(pending) {
    var loadedItems = null;
    var collection = {
      load: function () {
        pending.push(function () {
          loadedItems = sheetNames.map(function (name) {
            return {
              name: name,
              getUsedRangeOrNullObject: function () { return usedRange(name, pending); },
              getRangeByIndexes: function (row, column, rows, columns) { return rangeByIndexes(name, row, column, rows, columns, pending); }
            };
          });
        });
        return collection;
      },
      add: function (name) {
        var record = { name: name, cells: {}, numberFormats: {}, formats: [], columnWidths: {}, frozen: null, hiddenColumns: [], grouped: [], print: { breaksBefore: [] }, notes: [], syncs: [] };
        pending.push(function (sync) {
          if (sheetNames.indexOf(name) >= 0) throw new Error("stub: a sheet named " + name + " already exists");
          sheetNames.push(name);
          host.sheets.push(record);
          record.syncs.push(sync);
        });
        return worksheetProxy(record, pending);
      },
      getItem: function (name) {
        // Resolved when queued commands run, as Excel resolves the name at that point of the batch.
        var record = { get name() { return name; } };
        var resolved = null;
        pending.push(function () { resolved = sheetNamed(name); if (!resolved && name !== "Sheet1") throw new Error("stub: no sheet named " + name); });
        return {
          delete: function () {
            pending.push(function () {
              if (sheetNames.length === 1) throw new Error("stub: a workbook must keep at least one sheet");
              sheetNames.splice(sheetNames.indexOf(name), 1);
              host.sheets.splice(host.sheets.indexOf(resolved), 1);
            });
          },
          activate: function () { pending.push(function () { host.activeSheet = record.name; }); },
      horizontalPageBreaks: apiAtLeast("1.9") ? { add: function (cell) { touch(); pending.push(function () { record.print.breaksBefore.push(cell); }); } } : undefined,
      notes: apiAtLeast("1.18") ? { add: function (address, text) { touch(); pending.push(function () { record.notes.push({ address: address, text: text }); }); } } : undefined,
          getRange: function (address) { return workbookRange(name, address, pending); }
        };
      },
      getItemOrNullObject: function (name) {
        var loaded = null;
        var self = { load: function () { pending.push(function () { loaded = { isNullObject: sheetNames.indexOf(name) < 0 }; }); return self; } };
        Object.defineProperty(self, "isNullObject", { get: function () { if (!loaded) throw new Error("isNullObject read before load + sync"); return loaded.isNullObject; } });
        return self;
      }
    };
    Object.defineProperty(collection, "items", { get: function () { if (!loadedItems) throw new Error("items read before load + sync"); return loadedItems; } });
    return collection;
  }

  function application(pending) {
    var loaded = null;
    var self = {
      calculate: function (type) { pending.push(function () { host.calculations.push(type); if (type === "Full") runQfinCells(everyFormula()); }); },
      load: function () { pending.push(function () { loaded = { calculationMode: host.calculationMode }; }); return self; }
    };
    Object.defineProperty(self, "calculationMode", { get: function () { if (!loaded) throw new Error("calculationMode read before load + sync"); return loaded.calculationMode; } });
    return self;
  }

  window.Excel = {
    CalculationType: { recalculate: "Recalculate", full: "Full", fullRebuild: "FullRebuild" },
    PageOrientation: { portrait: "Portrait", landscape: "Landscape" },
    GroupOption: { byRows: "ByRows", byColumns: "ByColumns" },
    run: function (batch) {
      var pending = [];
      var context = {
        workbook: {
          getActiveCell: function () { return activeRange(ACTIVE.row, ACTIVE.column, 1, 1, pending); },
          onSelectionChanged: {
            add: function (handler) {
              pending.push(function () { selectionHandlers.push(handler); host.selectionHandlers = selectionHandlers.length; });
              return { remove: function () { pending.push(function () { selectionHandlers.splice(selectionHandlers.indexOf(handler), 1); host.selectionHandlers = selectionHandlers.length; }); } };
            }
          },
          worksheets: worksheets(pending),
          application: application(pending)
        },
        sync: function () {
          return Promise.resolve().then(function () {
            var sync = ++host.syncs;
            pending.splice(0).forEach(function (apply) { apply(sync); });
          });
        }
      };
      return Promise.resolve().then(function () { return batch(context); });
    }
  };

  // ---- The shared runtime's CustomFunctions: associate records the functions, as Excel would call them --------
  function HostError(code, message) { this.code = code; this.message = message || ""; }
  var functions = {};
  window.__excelFunctions = functions;
  window.CustomFunctions = {
    associate: function (id, implementation) { functions[id] = implementation; },
    Error: HostError,
    ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A", divisionByZero: "#DIV/0!", invalidNumber: "#NUM!", nullReference: "#NULL!", invalidName: "#NAME?", invalidReference: "#REF!" }
  };
  // ---- OfficeRuntime.storage: the add-in's settings, kept by "Office" across page loads of one test context ------
  try { Object.assign(host.storage, JSON.parse(window.sessionStorage.getItem("__excelHostStorage") || "{}")); } catch (error) { /* a fresh store */ }
  function storageCall(apply) {
    return Promise.resolve().then(function () {
      if (host.storageFails) throw new Error(host.storageFails);
      var result = apply();
      window.sessionStorage.setItem("__excelHostStorage", JSON.stringify(host.storage));
      return result;
    });
  }
  window.OfficeRuntime = {
    storage: {
      getItem: function (key) { return storageCall(function () { return Object.prototype.hasOwnProperty.call(host.storage, key) ? host.storage[key] : null; }); },
      setItem: function (key, value) { return storageCall(function () { host.storage[key] = String(value); }); }
    }
  };

  var info = { host: "Excel", platform: "OfficeOnline" };
  window.Office = {
    HostType: { Excel: "Excel", Word: "Word" },
    PlatformType: { OfficeOnline: "OfficeOnline" },
    onReady: function (callback) { if (callback) callback(info); return Promise.resolve(info); },
    context: {
      requirements: { isSetSupported: function (name, version) { return name === "ExcelApi" && apiAtLeast(version); } },
      officeTheme: { bodyBackgroundColor: "#FFFFFF", bodyForegroundColor: "#000000" }
    }
  };
})();
`;
