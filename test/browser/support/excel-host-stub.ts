/**
 * A stand-in for office.js inside Excel, served in its place so the pane's own adapter (`src/taskpane/excel.ts`)
 * runs unchanged above it. It provides only what the add-in touches: `Office.onReady` (host Excel),
 * `Office.context.requirements` and `officeTheme`, `CustomFunctions` (which the shared runtime provides in Excel),
 * and `Excel.run` with a one-sheet workbook whose active cell is B4. Every write is recorded in
 * `window.__excelHost.writes`; `window.__excelHost.cells` holds the sheet as address → formula or value.
 *
 * Plain JavaScript text: it runs in the page before the bundles.
 */
export interface ExcelHostState {
  cells: Record<string, string>;
  writes: { address: string; formula: string }[];
  reads: string[];
}

export const EXCEL_HOST_STUB = String.raw`
(function () {
  var host = { cells: {}, writes: [], reads: [] };
  window.__excelHost = host;
  var ACTIVE = { row: 3, column: 1 }; // B4
  function columnName(index) {
    var name = "";
    for (var n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    return name;
  }
  function cellAddress(row, column) { return columnName(column) + (row + 1); }
  function range(row, column, rows, columns, pending) {
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
          host.reads.push(loaded.address + " " + what);
        });
        return self;
      },
      getResizedRange: function (deltaRows, deltaColumns) { return range(row, column, rows + deltaRows, columns + deltaColumns, pending); }
    };
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
  window.Excel = {
    run: function (batch) {
      var pending = [];
      var context = {
        workbook: { getActiveCell: function () { return range(ACTIVE.row, ACTIVE.column, 1, 1, pending); } },
        sync: function () { return Promise.resolve().then(function () { pending.splice(0).forEach(function (apply) { apply(); }); }); }
      };
      return Promise.resolve().then(function () { return batch(context); });
    }
  };
  function HostError(code, message) { this.code = code; this.message = message || ""; }
  window.CustomFunctions = {
    associate: function () {},
    Error: HostError,
    ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A", divisionByZero: "#DIV/0!", invalidNumber: "#NUM!", nullReference: "#NULL!", invalidName: "#NAME?", invalidReference: "#REF!" }
  };
  var info = { host: "Excel", platform: "OfficeOnline" };
  window.Office = {
    HostType: { Excel: "Excel", Word: "Word" },
    PlatformType: { OfficeOnline: "OfficeOnline" },
    onReady: function (callback) { if (callback) callback(info); return Promise.resolve(info); },
    context: {
      requirements: { isSetSupported: function (name, version) { return name === "ExcelApi" && Number(version) <= 1.7; } },
      officeTheme: { bodyBackgroundColor: "#FFFFFF", bodyForegroundColor: "#000000" }
    }
  };
})();
`;
