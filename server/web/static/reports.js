// The report page: printing (the page has a print layout for the leadership report).
"use strict";
document.getElementById("print-button").addEventListener("click", () => window.print());
