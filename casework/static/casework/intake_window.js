// 收件: choosing an item sets the window to the one that handles it (the clerk's own when it does).
// The item search (casework ItemAutocompleteView) sends that window with each result.
"use strict";
{
    const $ = django.jQuery;
    $(function() {
        $("#id_item").on("select2:select", function(event) {
            const window_id = event.params.data.window;
            const select = document.querySelector("select[data-intake-window]");
            if (select && window_id) {
                select.value = String(window_id);
                select.dispatchEvent(new Event("change"));
            }
        });
    });
}
