/* /donnees: the browser fires no "change" when the file picked is the one already in the file input, so
   picking the same file again would do nothing. The input is emptied as it opens: the same file is then
   a new choice, deposited and validated again (the page says so). */
document.addEventListener(
    "click",
    function (evenement) {
        const cible = evenement.target;
        if (cible instanceof HTMLInputElement && cible.type === "file" && cible.closest("#donnees-upload")) {
            cible.value = "";
        }
    },
    true
);
