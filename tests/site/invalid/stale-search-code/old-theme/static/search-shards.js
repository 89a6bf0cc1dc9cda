/* An older theme's copy of search-shards.js: only the format it reads matters to the build. */
(function (global) {
  "use strict";
  var FORMAT = "shards-1";
  global.NewsShardedIndex = { format: FORMAT };
})(window);
