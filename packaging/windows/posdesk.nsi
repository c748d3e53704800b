; posdesk's Windows installer (NSIS 3, built with Debian's `makensis`; see packaging/README.md).
;
;   makensis -DVERSION=0.1.0 -DEXEDIR=target/x86_64-pc-windows-gnu/release \
;            -DOUTFILE=target/posdesk-0.1.0-setup.exe packaging/windows/posdesk.nsi
;
; Installs posdesk.exe (the window) and posdesk-cli.exe (the same verbs in a console) side by side in
; Program Files\posdesk, a Start-menu shortcut, and an uninstaller listed in Apps / Add or Remove
; Programs. Silent with /S (an update: run the new installer over the old one).
;
; The shop's data never lives here: posdesk keeps it per Windows user in %LOCALAPPDATA%\posdesk\data
; (crates/core/src/store/paths.rs). This script never names that folder, so neither an update nor the uninstaller
; can touch the database, its backups or the attachments. Everything removed is listed file by file.

; posdesk is 64-bit only, so is its installer (Wine without 32-bit support runs it too).
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "pass -DVERSION=x.y.z (the version in Cargo.toml)"
!endif
!ifndef EXEDIR
  !define EXEDIR "${__FILEDIR__}/../../target/x86_64-pc-windows-gnu/release"
!endif
!ifndef OUTFILE
  !define OUTFILE "posdesk-${VERSION}-setup.exe"
!endif

!define APP "posdesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define APP_KEY "Software\${APP}"
!define ICON "${__FILEDIR__}/../../assets/icons/posdesk.ico"

Name "${APP}"
OutFile "${OUTFILE}"
RequestExecutionLevel admin
InstallDir "$PROGRAMFILES64\${APP}"
; An update goes where the last install went.
InstallDirRegKey HKLM "${APP_KEY}" "InstallDir"
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP} installer"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "posdesk developers (MIT OR Apache-2.0)"

!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\posdesk.exe"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback; Windows set to Chinese gets the Chinese pages.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

LangString RUNNING ${LANG_ENGLISH} "posdesk is running. Close every posdesk window, then press Retry. (Your data is kept either way.)"
LangString RUNNING ${LANG_SIMPCHINESE} "posdesk 正在运行。请关闭所有 posdesk 窗口，然后按“重试”。（您的数据不受影响。）"
LangString NEEDS64 ${LANG_ENGLISH} "posdesk needs 64-bit Windows."
LangString NEEDS64 ${LANG_SIMPCHINESE} "posdesk 需要 64 位 Windows。"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(NEEDS64)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

; A running posdesk.exe cannot be replaced: ask the clerk to close it (silent installs give up).
!macro WAIT_UNTIL_CLOSED FILE
  ${If} ${FileExists} "${FILE}"
    ${Do}
      ClearErrors
      FileOpen $0 "${FILE}" a
      ${IfNot} ${Errors}
        FileClose $0
        ${Break}
      ${EndIf}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(RUNNING)" /SD IDCANCEL IDRETRY +2
      Abort
    ${Loop}
  ${EndIf}
!macroend

Section "posdesk" SecMain
  SectionIn RO
  !insertmacro WAIT_UNTIL_CLOSED "$INSTDIR\posdesk.exe"
  !insertmacro WAIT_UNTIL_CLOSED "$INSTDIR\posdesk-cli.exe"

  SetOutPath "$INSTDIR"
  SetOverwrite on
  File "${EXEDIR}/posdesk.exe"
  File "${EXEDIR}/posdesk-cli.exe"
  File "/oname=README.md" "${__FILEDIR__}/../../README.md"
  File "/oname=OFL-font.txt" "${__FILEDIR__}/../../assets/fonts/OFL.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\posdesk.lnk" "$INSTDIR\posdesk.exe" "" "$INSTDIR\posdesk.exe" 0 \
    SW_SHOWNORMAL "" "posdesk"

  WriteRegStr HKLM "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "posdesk"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "posdesk developers"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\posdesk.exe,0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

; Removes exactly what the installer put down. The data folder (%LOCALAPPDATA%\posdesk\data) is
; left alone on purpose: the shop's incidents, terminals and backups outlive the program.
Section "Uninstall"
  !insertmacro WAIT_UNTIL_CLOSED "$INSTDIR\posdesk.exe"
  Delete "$SMPROGRAMS\posdesk.lnk"
  Delete "$INSTDIR\posdesk.exe"
  Delete "$INSTDIR\posdesk-cli.exe"
  Delete "$INSTDIR\README.md"
  Delete "$INSTDIR\OFL-font.txt"
  Delete "$INSTDIR\uninstall.exe"
  ; Only if empty: whatever someone else put in the folder stays.
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "${APP_KEY}"
SectionEnd
