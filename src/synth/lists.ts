/**
 * Realistic names for synthetic reports: provinces, their cities and counties, and the
 * departments that publish reports. A sample of the real administrative map, not all of it.
 */
export interface Place { province: string; city: string; counties: string[] }

export const PLACES: Place[] = [
  { province: '江苏省', city: '淮安市', counties: ['清江浦区', '淮阴区', '淮安区', '洪泽区', '涟水县', '盱眙县', '金湖县'] },
  { province: '江苏省', city: '苏州市', counties: ['姑苏区', '吴中区', '相城区', '吴江区', '常熟市', '昆山市', '太仓市'] },
  { province: '江苏省', city: '徐州市', counties: ['鼓楼区', '云龙区', '贾汪区', '铜山区', '丰县', '沛县', '睢宁县'] },
  { province: '河南省', city: '商丘市', counties: ['梁园区', '睢阳区', '民权县', '睢县', '宁陵县', '柘城县', '虞城县', '夏邑县'] },
  { province: '河南省', city: '洛阳市', counties: ['老城区', '西工区', '涧西区', '偃师区', '孟津区', '新安县', '栾川县', '嵩县'] },
  { province: '甘肃省', city: '平凉市', counties: ['崆峒区', '泾川县', '灵台县', '崇信县', '庄浪县', '静宁县', '华亭市'] },
  { province: '宁夏回族自治区', city: '吴忠市', counties: ['利通区', '红寺堡区', '盐池县', '同心县', '青铜峡市'] },
  { province: '黑龙江省', city: '双鸭山市', counties: ['尖山区', '岭东区', '四方台区', '宝山区', '集贤县', '友谊县', '宝清县', '饶河县'] },
  { province: '辽宁省', city: '鞍山市', counties: ['铁东区', '铁西区', '立山区', '千山区', '台安县', '岫岩满族自治县', '海城市'] },
  { province: '浙江省', city: '绍兴市', counties: ['越城区', '柯桥区', '上虞区', '新昌县', '诸暨市', '嵊州市'] },
  { province: '四川省', city: '绵阳市', counties: ['涪城区', '游仙区', '安州区', '三台县', '盐亭县', '梓潼县', '江油市'] },
  { province: '广东省', city: '韶关市', counties: ['武江区', '浈江区', '曲江区', '始兴县', '仁化县', '翁源县', '乐昌市'] },
];

export const DEPARTMENTS = [
  '民政局', '人力资源和社会保障局', '财政局', '教育局', '公安局', '自然资源和规划局', '生态环境局', '住房和城乡建设局',
  '交通运输局', '农业农村局', '商务局', '文化广电和旅游局', '卫生健康委员会', '市场监督管理局', '统计局', '医疗保障局',
  '应急管理局', '审计局', '司法局', '水利局', '发展和改革委员会', '工业和信息化局', '退役军人事务局', '行政审批局',
];
